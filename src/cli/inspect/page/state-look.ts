// The one place where the store's conversation states become words and colours. A state this map
// does not know yet is shown by its own name, in grey: the store may gain states before the page does.
import type { Tone } from './verdict-words.js'

/** A state as the page shows it. */
export interface StateLook {
  readonly text: string
  readonly tone: Tone
  readonly detail: string
}

const STATES: Readonly<Record<string, StateLook>> = {
  open: { text: 'Open', tone: 'info', detail: 'Events are arriving; the conversation is not closed yet.' },
  pending: {
    text: 'Pending',
    tone: 'warn',
    detail: 'Finished: it is exported once nothing more arrives for the settle period (or its retry is due).',
  },
  claimed: { text: 'Exporting', tone: 'info', detail: 'Claimed by a receiver that is exporting it now.' },
  exported: { text: 'Exported', tone: 'ok', detail: 'onConversationFinished received it whole.' },
  failed: { text: 'Failed', tone: 'bad', detail: 'Its export failed; see the last error.' },
}

/** A store state in words; an unknown one by its own name. */
export function stateLook(state: string | null): StateLook {
  if (state === null)
    return { text: 'POST hook', tone: 'muted', detail: 'Sent whole by the POST hook: no store state.' }
  return Object.hasOwn(STATES, state)
    ? (STATES[state] as StateLook)
    : { text: state, tone: 'muted', detail: `The store says "${state}".` }
}
