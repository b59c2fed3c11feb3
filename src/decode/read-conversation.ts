import { DOCUMENTED_KEYS } from '../codecs/documented-keys.js'
import { isEpochMillis } from '../codecs/primitives.js'
import type { PostHookConversation } from '../model/conversation.js'
import type { JsonObject } from '../model/json.js'
import { readChannel } from './read-channel.js'
import { countKeys, EXPECTED, isObject, ownFields, reportUnknownKeys } from './read-fields.js'
import { readMessages } from './read-messages.js'
import { readPaths } from './read-paths.js'
import { readVisitor } from './read-visitor.js'
import type { Report } from './report.js'

const KNOWN = DOCUMENTED_KEYS.conversation

/**
 * The single pass from a JSON value to the model: validation and construction together, plain
 * `if`s only. Returns `undefined` when an error was reported; keeps going after one so that
 * every issue is listed. The numeric ids become their decimal strings (`String(n)`).
 */
export function readConversation(value: unknown, r: Report): PostHookConversation | undefined {
  if (!isObject(value)) {
    r.error('', 'invalid_type', 'a JSON object', value)
    return undefined
  }
  const u = r.plainJson ? value : ownFields(value)
  const seen = r.seen
  const accountId = u.accountId
  if (typeof accountId !== 'number' || !Number.isSafeInteger(accountId)) {
    r.error('accountId', accountId === undefined ? 'missing' : 'invalid_type', EXPECTED.integer, accountId)
  }
  const beginAt = u.beginAt
  if (!isEpochMillis(beginAt)) {
    r.error('beginAt', beginAt === undefined ? 'missing' : 'invalid_type', EXPECTED.epochMillis, beginAt)
  }
  const endAt = u.endAt
  if (!isEpochMillis(endAt)) {
    r.error('endAt', endAt === undefined ? 'missing' : 'invalid_type', EXPECTED.epochMillis, endAt)
  }
  const rawChannel = u.channel
  let channel: ReturnType<typeof readChannel>
  if (isObject(rawChannel)) channel = readChannel(r.plainJson ? rawChannel : ownFields(rawChannel), r)
  else r.error('channel', rawChannel === undefined ? 'missing' : 'invalid_type', EXPECTED.object, rawChannel)

  const visitor = readVisitor(u.visitor, r)
  const paths = readPaths(u.paths, r)

  const rawMessages = u.messages
  let messages: PostHookConversation['messages'] | undefined
  if (Array.isArray(rawMessages)) messages = readMessages(rawMessages, r)
  else
    r.error('messages', rawMessages === undefined ? 'missing' : 'invalid_type', EXPECTED.array, rawMessages)

  if (countKeys(u) !== KNOWN.size || r.seen !== seen) reportUnknownKeys(u, KNOWN, '', r)
  if (r.errorCount > 0 || channel === undefined || messages === undefined) return undefined

  return {
    source: 'post-hook',
    id: channel.id,
    accountId: String(accountId as number),
    beginAt: new Date(beginAt as number),
    endAt: new Date(endAt as number),
    flags: channel.flags,
    reported: channel.reported,
    rating: channel.rating,
    visitor,
    paths,
    messages,
    warnings: r.warnings,
    warningCount: r.warningCount,
    // The input itself, even when its fields were read through an own-properties copy.
    raw: value as JsonObject,
  }
}
