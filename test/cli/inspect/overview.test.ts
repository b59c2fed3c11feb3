import { assembleConversationOrThrow, type Conversation } from 'smartsupp-hook'
import { conversations, webhookConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { overviewOf } from '../../../src/cli/inspect/overview.js'
import { decodeEach } from '../../assemble/script.js'

const petr = { id: '11', name: 'Petr Svoboda' }
const DAY = Date.UTC(2023, 0, 5, 9, 30) // a day none of the fixtures began on

function assembled(
  build: (b: ReturnType<typeof webhookConversation>) => ReturnType<typeof webhookConversation>,
) {
  return assembleConversationOrThrow(
    decodeEach(build(webhookConversation({ startAt: DAY }).opened()).build()),
  )
}

describe('overviewOf: missed versus answered per day', () => {
  it('counts finished conversations only: one still open is not missed yet', () => {
    const open = assembled((b) => b.contactReplied('Hello?'))
    expect(open.closedAt).toBeNull()
    const o = overviewOf([open], 1, [])
    expect(o.perDay).toEqual([])
    // The first-response chart still shows it as having no answer.
    expect(o.unanswered).toBe(1)
  })

  it('reads missed as Smartsupp does: the visitor wrote and no agent ever answered', () => {
    const list: Conversation[] = [
      // Answered, then the visitor wrote last ("thanks"), closed: answered.
      assembled((b) => b.contactReplied('Hi').agentReplied(petr, 'Hello').contactReplied('Thanks').closed()),
      // Nobody answered, closed by the contact: missed.
      assembled((b) => b.contactReplied('Hi').agentJoined(petr).closedByContact()),
      // Only a trigger, the visitor never wrote: neither.
      assembled((b) => b.botReplied('Can we help?').closedByContact()),
      // POST hook conversations are finished.
      conversations.documentedExample(),
      conversations.missed(),
      conversations.offline(),
    ]
    const o = overviewOf(list, list.length, [])
    const days = Object.fromEntries(o.perDay.map(({ day, ...row }) => [day, row]))
    expect(days['2023-01-05']).toEqual({ answered: 1, missed: 1, offline: 0 })
    const total = o.perDay.reduce(
      (sum, d) => ({
        answered: sum.answered + d.answered,
        missed: sum.missed + d.missed,
        offline: sum.offline + d.offline,
      }),
      { answered: 0, missed: 0, offline: 0 },
    )
    expect(total).toEqual({ answered: 2, missed: 2, offline: 1 })
  })

  it('keeps the days in order across years', () => {
    const on = (startAt: number) =>
      assembleConversationOrThrow(
        decodeEach(
          webhookConversation({ startAt, id: `c-${startAt}` })
            .opened()
            .contactReplied('Hi')
            .closedByContact()
            .build(),
        ),
      )
    const list = [Date.UTC(2026, 2, 2), Date.UTC(2024, 2, 14), Date.UTC(2025, 11, 31)].map(on)
    expect(overviewOf(list, list.length, []).perDay.map((d) => d.day)).toEqual([
      '2024-03-14',
      '2025-12-31',
      '2026-03-02',
    ])
  })
})
