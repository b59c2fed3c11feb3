import { WebhookEnvelopePayload } from '../../codecs/webhook/webhook-event.js'
import type { JsonObject } from '../../model/json.js'
import type { WebhookEvent } from '../../model/webhook-event.js'
import { countKeys, isObject, reportUnknownKeys } from '../read-fields.js'
import type { Report } from '../report.js'
import { DATA_READERS } from './fast-webhook-readers.js'
import { PLANS_FINISHED } from './plan-finishers.js'
import { fieldNamed, planOf } from './read-plan.js'
import { checkPrototype, fastPath, own, readDate, readValue } from './read-webhook-object.js'

if (!PLANS_FINISHED) throw new Error('smartsupp-hook: webhook plans not finished')

const ENVELOPE = planOf(WebhookEnvelopePayload)
const TYPE = fieldNamed(ENVELOPE, 'type')
const TIMESTAMP = fieldNamed(ENVELOPE, 'timestamp')
const ACCOUNT_ID = fieldNamed(ENVELOPE, 'account_id')
const APP_ID = fieldNamed(ENVELOPE, 'app_id')

type DataReader = (typeof DATA_READERS)[string]

// The known events' readers grouped by the length of their name. `event` comes fresh from
// `JSON.parse` (long strings are not internalized), so a lookup by name would hash it and probe the
// string table on every call; a length and one or two comparisons cost a fraction of that.
const READERS_BY_LENGTH: (Array<readonly [string, DataReader]> | undefined)[] = []
for (const name of Object.keys(DATA_READERS)) {
  const bucket = READERS_BY_LENGTH[name.length] ?? []
  bucket.push([name, DATA_READERS[name] as DataReader])
  READERS_BY_LENGTH[name.length] = bucket
}

/** The reader of a known event's `data`, or `undefined` for an unknown event. */
function dataReaderOf(event: string): DataReader | undefined {
  const bucket = READERS_BY_LENGTH[event.length]
  if (bucket === undefined) return undefined
  for (let i = 0; i < bucket.length; i++) {
    const entry = bucket[i] as readonly [string, DataReader]
    if (entry[0] === event) return entry[1]
  }
  return undefined
}

/**
 * The single pass from a JSON value to a `WebhookEvent`. Fails (returns `undefined`, with an
 * error reported) only when the envelope is unusable: not an object, `event` not a string,
 * `data` not an object; or, in strict mode, on any deviation.
 */
export function readWebhookEvent(u: unknown, r: Report): WebhookEvent | undefined {
  if (!isObject(u)) {
    r.error('', 'invalid_type', 'a JSON object', u)
    return undefined
  }
  // Plain loads for a plain JSON object; `own` checks each key of anything else.
  checkPrototype()
  const plain = fastPath(u)
  const event = plain ? u.event : own(u, 'event')
  if (typeof event !== 'string') {
    r.error('event', event === undefined ? 'missing' : 'invalid_type', 'a string (the event name)', event)
  }
  const data = plain ? u.data : own(u, 'data')
  if (!isObject(data)) r.error('data', data === undefined ? 'missing' : 'invalid_type', 'an object', data)
  const rawType = plain ? u.type : own(u, 'type')
  const rawTimestamp = plain ? u.timestamp : own(u, 'timestamp')
  const rawAccountId = plain ? u.account_id : own(u, 'account_id')
  const rawAppId = plain ? u.app_id : own(u, 'app_id')
  const type = (rawType === 'event_callback' ? rawType : readValue(rawType, TYPE, '', r)) as string | null
  const timestamp = readDate(rawTimestamp, TIMESTAMP, '', r) as Date | null
  const accountId = (
    typeof rawAccountId === 'string' ? rawAccountId : readValue(rawAccountId, ACCOUNT_ID, '', r)
  ) as string | null
  const appId = (typeof rawAppId === 'string' ? rawAppId : readValue(rawAppId, APP_ID, '', r)) as
    | string
    | null
  const present =
    (event === undefined ? 0 : 1) +
    (data === undefined ? 0 : 1) +
    (rawType === undefined ? 0 : 1) +
    (rawTimestamp === undefined ? 0 : 1) +
    (rawAccountId === undefined ? 0 : 1) +
    (rawAppId === undefined ? 0 : 1)
  if (countKeys(u) !== present) reportUnknownKeys(u, ENVELOPE.known, '', r)
  if (typeof event !== 'string' || !isObject(data)) return undefined
  const read = dataReaderOf(event)
  const model = read === undefined ? data : read(data, 'data', r)
  if (r.errorCount > 0) return undefined
  return {
    known: read !== undefined,
    event,
    type,
    timestamp,
    accountId,
    appId,
    data: model,
    warnings: r.warnings,
    warningCount: r.warningCount,
    raw: u as JsonObject,
  } as WebhookEvent
}
