// The subpaths whose types need no @types package: checked with "types": [] (tsconfig.minimal.json).
// /testing and /fetch use the Fetch API's types, here from the default lib (DOM).
import { decodeConversation } from 'smartsupp-hook'
import { handleSmartsuppRequest } from 'smartsupp-hook/fetch'
import { memoryEventStore } from 'smartsupp-hook/store'
import { postConversation } from 'smartsupp-hook/testing'

export const minimal = [decodeConversation, handleSmartsuppRequest, memoryEventStore, postConversation]
