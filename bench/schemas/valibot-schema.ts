import * as v from 'valibot'

const MAX_EPOCH_MS = 8.64e15
const integer = v.pipe(v.number(), v.safeInteger())
const epochMillis = v.pipe(v.number(), v.safeInteger(), v.minValue(-MAX_EPOCH_MS), v.maxValue(MAX_EPOCH_MS))
const visitorRef = v.pipe(v.string(), v.regex(/^visitor:[\s\S]+$/))
const agentRef = v.pipe(v.string(), v.regex(/^agent:(?:0|[1-9][0-9]{0,15})$/))
const systemRef = v.literal('system')
const common = {
  content: v.string(),
  sentAt: epochMillis,
  triggeredBy: v.nullable(v.string()),
  name: v.optional(v.string()),
}

/** The strict contract (`ConversationPayload`) in valibot: closed objects, the message union by `type`. */
export const valibotConversation = v.strictObject({
  accountId: integer,
  beginAt: epochMillis,
  endAt: epochMillis,
  channel: v.strictObject({
    id: integer,
    isChat: v.boolean(),
    isMissed: v.boolean(),
    isTriggered: v.boolean(),
    isOffline: v.boolean(),
    isCompleted: v.boolean(),
    isDropped: v.boolean(),
    duration: integer,
    avgResponse: integer,
    firstResponse: integer,
    messagesCount: integer,
    wordsCount: integer,
    rating: v.nullable(integer),
    ratingDesc: v.nullable(v.string()),
  }),
  visitor: v.strictObject({
    id: integer,
    name: v.nullable(v.string()),
    email: v.nullable(v.string()),
    note: v.nullable(v.string()),
    group: v.nullable(v.string()),
    ipAddress: v.string(),
    city: v.string(),
    countryCode: v.string(),
    country: v.string(),
    userAgent: v.string(),
    platform: v.string(),
    referer: v.string(),
    variables: v.record(
      v.string(),
      v.strictObject({ label: v.string(), value: v.union([v.string(), v.number()]) }),
    ),
  }),
  paths: v.array(v.strictObject({ url: v.string(), title: v.string() })),
  messages: v.array(
    v.variant('type', [
      v.strictObject({ type: v.literal('visitor'), from: visitorRef, ...common }),
      v.strictObject({ type: v.literal('agent'), from: v.union([agentRef, systemRef]), ...common }),
      v.strictObject({
        type: v.literal('system'),
        from: v.union([visitorRef, agentRef, systemRef]),
        ...common,
      }),
    ]),
  ),
})
