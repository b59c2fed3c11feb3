import * as t from 'io-ts'

/**
 * An id as the webhooks send it: a string (`"conv-001"`, `"881987"`). A named codec, not a bare
 * `t.string`, so the decoder can tell ids from text (the legacy hook sent some of them as numbers).
 */
export const WebhookId = new t.Type<string, string, unknown>(
  'WebhookId',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
  t.identity,
)
