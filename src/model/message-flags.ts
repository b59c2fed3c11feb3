import type { MessageKind } from './message.js'

/** The flags that follow from the messages (internal): all but `isOffline` and `isDropped`. */
export interface MessageFlags {
  readonly isChat: boolean
  readonly isMissed: boolean
  readonly isTriggered: boolean
  readonly isCompleted: boolean
}

/**
 * Smartsupp's flags from the kinds of a conversation's messages in time order (internal): the one
 * statement of the rule, used by assembly and by the testing kit's builder. A visitor turn is
 * answered by a later human agent message (`'agent'`; triggers and system events answer nothing).
 * Missed: the visitor wrote and no turn was answered, unless it is an offline message. Completed:
 * closed, not offline, the visitor wrote and a turn was answered. This follows Smartsupp's
 * documented example (visitor, agent answer, visitor "tanks.", visitor close: `isMissed: false`,
 * `isCompleted: true`), not the spec table's literal "no agent answered the last message".
 */
export function messageFlags(kinds: readonly MessageKind[], closed: boolean, offline: boolean): MessageFlags {
  let visitor = false
  let agent = false
  let triggered = false
  let answered = false
  for (const kind of kinds) {
    if (kind === 'visitor') visitor = true
    else if (kind === 'agent') {
      agent = true
      if (visitor) answered = true
    } else if (kind === 'trigger') triggered = true
  }
  const isMissed = !offline && visitor && !answered
  return {
    isChat: visitor && agent,
    isMissed,
    isTriggered: triggered,
    isCompleted: closed && !offline && visitor && answered,
  }
}
