import { Ajv } from 'ajv'

const MAX_SAFE = Number.MAX_SAFE_INTEGER
const MAX_EPOCH_MS = 8.64e15
const integer = { type: 'integer', minimum: -MAX_SAFE, maximum: MAX_SAFE }
const epochMillis = { type: 'integer', minimum: -MAX_EPOCH_MS, maximum: MAX_EPOCH_MS }
const string = { type: 'string' }
const nullableString = { type: ['string', 'null'] }
const visitorRef = { type: 'string', pattern: '^visitor:[\\s\\S]+$' }
const agentRef = { type: 'string', pattern: '^agent:(?:0|[1-9][0-9]{0,15})$' }
const systemRef = { const: 'system' }

function closed(properties: Record<string, object>, optional: readonly string[] = []) {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  }
}

function message(type: string, from: object) {
  return closed(
    {
      type: { const: type },
      from,
      content: string,
      sentAt: epochMillis,
      triggeredBy: nullableString,
      name: string,
    },
    ['name'],
  )
}

/** The strict contract (`ConversationPayload`) as JSON Schema, compiled once by ajv. */
export const conversationJsonSchema = closed({
  accountId: integer,
  beginAt: epochMillis,
  endAt: epochMillis,
  channel: closed({
    id: integer,
    isChat: { type: 'boolean' },
    isMissed: { type: 'boolean' },
    isTriggered: { type: 'boolean' },
    isOffline: { type: 'boolean' },
    isCompleted: { type: 'boolean' },
    isDropped: { type: 'boolean' },
    duration: integer,
    avgResponse: integer,
    firstResponse: integer,
    messagesCount: integer,
    wordsCount: integer,
    rating: { anyOf: [integer, { type: 'null' }] },
    ratingDesc: nullableString,
  }),
  visitor: closed({
    id: integer,
    name: nullableString,
    email: nullableString,
    note: nullableString,
    group: nullableString,
    ipAddress: string,
    city: string,
    countryCode: string,
    country: string,
    userAgent: string,
    platform: string,
    referer: string,
    variables: {
      type: 'object',
      additionalProperties: closed({ label: string, value: { type: ['string', 'number'] } }),
    },
  }),
  paths: { type: 'array', items: closed({ url: string, title: string }) },
  messages: {
    type: 'array',
    items: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        message('visitor', visitorRef),
        message('agent', { anyOf: [agentRef, systemRef] }),
        message('system', { anyOf: [visitorRef, agentRef, systemRef] }),
      ],
    },
  },
})

/** ajv's compiled validator of the strict contract (all errors off: it stops at the first). */
export const ajvConversation = new Ajv({ discriminator: true, allowUnionTypes: true }).compile(
  conversationJsonSchema,
)
