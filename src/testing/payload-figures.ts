import type { ChannelPayload } from '../codecs/channel.js'
import type { MessagePayload } from '../codecs/message.js'
import type { MessageKind } from '../model/message.js'
import { messageFlags } from '../model/message-flags.js'

/** The channel fields that follow from the messages: the flags and Smartsupp's reported figures. */
export type PayloadFigures = Pick<
  ChannelPayload,
  | 'isChat'
  | 'isMissed'
  | 'isTriggered'
  | 'isOffline'
  | 'isCompleted'
  | 'duration'
  | 'avgResponse'
  | 'firstResponse'
  | 'messagesCount'
  | 'wordsCount'
>

/** A message written by a human agent: `type: "agent"` from `agent:<id>`, with no trigger. */
export function isHumanAgentMessage(m: MessagePayload): boolean {
  return m.type === 'agent' && m.from.startsWith('agent:') && m.triggeredBy === null
}

/**
 * Response times in ms, one per visitor turn that got a human agent reply: from the turn's first
 * visitor message to the next human agent message. Join events and triggers are not replies.
 */
export function responseTimesMs(messages: readonly MessagePayload[]): number[] {
  const out: number[] = []
  let turnStartedAt: number | null = null
  for (const m of messages) {
    if (m.type === 'visitor') {
      if (turnStartedAt === null) turnStartedAt = m.sentAt
    } else if (isHumanAgentMessage(m) && turnStartedAt !== null) {
      out.push(m.sentAt - turnStartedAt)
      turnStartedAt = null
    }
  }
  return out
}

const WORD = /\S+/g

/** What a payload message is to the flags: the `kind` the decoder gives it (an automatic message is `'trigger'`). */
function kindOf(m: MessagePayload): MessageKind {
  if (m.type === 'visitor') return 'visitor'
  if (m.type === 'agent') return isHumanAgentMessage(m) ? 'agent' : 'trigger'
  return 'system'
}

/**
 * Figures consistent with the messages, the way the builder reports them. Durations are whole
 * seconds rounded down (0 when there is nothing to measure); `messagesCount` leaves out the closing
 * event and `wordsCount` counts words in visitor and human agent messages: Smartsupp documents
 * neither count, and this reproduces the documented example's `messagesCount` (5).
 */
export function payloadFigures(
  messages: readonly MessagePayload[],
  beginAt: number,
  endAt: number,
  offline: boolean,
): PayloadFigures {
  const responses = responseTimesMs(messages)
  const closed = messages.some((m) => m.type === 'system' && m.content.startsWith('close.'))
  // The flags by the rule assembly follows too (Smartsupp's documented example).
  const flags = messageFlags(messages.map(kindOf), closed, offline)
  let words = 0
  for (const m of messages) {
    if (m.type === 'visitor' || isHumanAgentMessage(m)) words += m.content.match(WORD)?.length ?? 0
  }
  const first = responses[0]
  const average = responses.length === 0 ? 0 : responses.reduce((a, b) => a + b, 0) / responses.length
  return {
    isChat: flags.isChat,
    isMissed: flags.isMissed,
    isTriggered: flags.isTriggered,
    isOffline: offline,
    isCompleted: flags.isCompleted,
    duration: seconds(endAt - beginAt),
    avgResponse: seconds(average),
    firstResponse: first === undefined ? 0 : seconds(first),
    messagesCount: messages.filter((m) => !(m.type === 'system' && m.content.startsWith('close.'))).length,
    wordsCount: words,
  }
}

/** Whole seconds, rounded down, never negative (shared spec: durations). */
function seconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000))
}
