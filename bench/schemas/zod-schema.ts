import { z } from 'zod'

const MAX_EPOCH_MS = 8.64e15
// zod 4's int() is a safe integer, as the io-ts `Integer` codec.
const integer = z.number().int()
const epochMillis = z.number().int().min(-MAX_EPOCH_MS).max(MAX_EPOCH_MS)
const visitorRef = z.string().regex(/^visitor:[\s\S]+$/)
const agentRef = z.string().regex(/^agent:(?:0|[1-9][0-9]{0,15})$/)
const systemRef = z.literal('system')
const common = {
  content: z.string(),
  sentAt: epochMillis,
  triggeredBy: z.string().nullable(),
  name: z.string().optional(),
}

/** The strict contract (`ConversationPayload`) in zod 4: closed objects, the message union by `type`. */
export const zodConversation = z.strictObject({
  accountId: integer,
  beginAt: epochMillis,
  endAt: epochMillis,
  channel: z.strictObject({
    id: integer,
    isChat: z.boolean(),
    isMissed: z.boolean(),
    isTriggered: z.boolean(),
    isOffline: z.boolean(),
    isCompleted: z.boolean(),
    isDropped: z.boolean(),
    duration: integer,
    avgResponse: integer,
    firstResponse: integer,
    messagesCount: integer,
    wordsCount: integer,
    rating: integer.nullable(),
    ratingDesc: z.string().nullable(),
  }),
  visitor: z.strictObject({
    id: integer,
    name: z.string().nullable(),
    email: z.string().nullable(),
    note: z.string().nullable(),
    group: z.string().nullable(),
    ipAddress: z.string(),
    city: z.string(),
    countryCode: z.string(),
    country: z.string(),
    userAgent: z.string(),
    platform: z.string(),
    referer: z.string(),
    variables: z.record(
      z.string(),
      z.strictObject({ label: z.string(), value: z.union([z.string(), z.number()]) }),
    ),
  }),
  paths: z.array(z.strictObject({ url: z.string(), title: z.string() })),
  messages: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('visitor'), from: visitorRef, ...common }),
      z.strictObject({ type: z.literal('agent'), from: z.union([agentRef, systemRef]), ...common }),
      z.strictObject({
        type: z.literal('system'),
        from: z.union([visitorRef, agentRef, systemRef]),
        ...common,
      }),
    ]),
  ),
})
