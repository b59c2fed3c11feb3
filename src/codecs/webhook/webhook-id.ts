import * as t from 'io-ts'
import { annotateLeaf } from '../codec-structure.js'

/**
 * An id as the webhooks send it: a string (`"conv-001"`, `"881987"`). A named codec, not a bare
 * `t.string`, so the decoder can tell ids from text (the legacy hook sent some of them as numbers).
 */
export const WebhookId = annotateLeaf(
  new t.Type<string, string, unknown>(
    'WebhookId',
    (u): u is string => typeof u === 'string',
    (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  {
    jsonSchema: { type: 'string' },
    // Any string is an id; generated ones look like the seen ones ("conv-001", "881987").
    sample: { kind: 'prefixed', prefix: '', rest: 'natural' },
  },
)
