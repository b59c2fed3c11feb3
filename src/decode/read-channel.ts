import { DOCUMENTED_KEYS } from '../codecs/documented-keys.js'
import type { ConversationFlags, Rating, ReportedFigures } from '../model/conversation.js'
import {
  countKeys,
  EXPECTED,
  type Obj,
  readBoolean,
  readInteger,
  readNullableInteger,
  readNullableString,
  reportUnknownKeys,
} from './read-fields.js'
import type { Report } from './report.js'

const BASE = 'channel'
const KNOWN = DOCUMENTED_KEYS.channel

export interface ChannelParts {
  /** `channel.id` in decimal, as the model holds it. */
  readonly id: string
  readonly flags: ConversationFlags
  readonly reported: ReportedFigures
  readonly rating: Rating | null
}

/** Reads `channel`; `undefined` when the essential `channel.id` is unusable (an error is reported). */
export function readChannel(c: Obj, r: Report): ChannelParts | undefined {
  const seen = r.seen
  const id = c.id
  const idOk = typeof id === 'number' && Number.isSafeInteger(id)
  if (!idOk) r.error('channel.id', id === undefined ? 'missing' : 'invalid_type', EXPECTED.integer, id)
  const flags: ConversationFlags = {
    isChat: readBoolean(c.isChat, 'isChat', BASE, r),
    isMissed: readBoolean(c.isMissed, 'isMissed', BASE, r),
    isTriggered: readBoolean(c.isTriggered, 'isTriggered', BASE, r),
    isOffline: readBoolean(c.isOffline, 'isOffline', BASE, r),
    isCompleted: readBoolean(c.isCompleted, 'isCompleted', BASE, r),
    isDropped: readBoolean(c.isDropped, 'isDropped', BASE, r),
  }
  const reported: ReportedFigures = {
    durationSeconds: readInteger(c.duration, 'duration', BASE, r),
    averageResponseSeconds: readInteger(c.avgResponse, 'avgResponse', BASE, r),
    firstResponseSeconds: readInteger(c.firstResponse, 'firstResponse', BASE, r),
    messageCount: readInteger(c.messagesCount, 'messagesCount', BASE, r),
    wordCount: readInteger(c.wordsCount, 'wordsCount', BASE, r),
  }
  const value = readNullableInteger(c.rating, 'rating', BASE, r)
  const comment = readNullableString(c.ratingDesc, 'ratingDesc', BASE, r)
  const rating = value === null ? null : { value, comment }
  if (countKeys(c) !== KNOWN.size || r.seen !== seen) reportUnknownKeys(c, KNOWN, BASE, r)
  return idOk ? { id: String(id as number), flags, reported, rating } : undefined
}
