import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { timelineOf } from '../../../src/cli/inspect/conversation-view.js'
import {
  DeliveryJournal,
  JOURNAL_FILE,
  type JournalEntry,
} from '../../../src/cli/inspect/delivery-journal.js'
import { formatOf, redactedUrl } from '../../../src/cli/inspect/delivery-request.js'
import type { SignatureVerdict } from '../../../src/cli/inspect/inspect-api-types.js'
import { dayLabels } from '../../../src/cli/inspect/page/day-labels.js'
import { stateLook } from '../../../src/cli/inspect/page/state-look.js'
import { signatureLook } from '../../../src/cli/inspect/page/verdict-words.js'
import { loadPageAssets } from '../../../src/cli/inspect/page-assets.js'
import type { StoredEvent } from '../../../src/store/event-store.js'

function stored(key: string, occurredAt: string, receivedAt: string): StoredEvent {
  return {
    key,
    conversationId: 'c',
    accountId: null,
    event: `conversation.${key}`,
    occurredAt: new Date(occurredAt),
    closes: false,
    body: new Uint8Array(3),
    poisoned: null,
    receivedAt: new Date(receivedAt),
  }
}

function entry(seq: number, key: string | null, store: JournalEntry['store']): JournalEntry {
  return {
    seq,
    receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    format: 'webhook',
    path: '/webhooks/smartsupp',
    size: 3,
    kept: true,
    status: store === 'not-stored' ? 401 : 200,
    signature:
      store === 'not-stored'
        ? { kind: 'mismatch', message: 'm' }
        : { kind: 'valid', secretIndex: 0, secretCount: 1 },
    decode: { kind: 'decoded', as: 'webhook', warningCount: 0, warnings: [] },
    event: 'conversation.x',
    conversationId: 'c',
    who: null,
    key,
    duplicateOf: null,
    store,
    method: 'POST',
    headers: [],
    answer: '{}',
    occurredAt: null,
    file: null,
  }
}

describe('inspect: its parts', () => {
  it('timeline: events in the order they happened, each with its arrival; one that came after a later event is late; refused deliveries apart', () => {
    const events = [
      stored('a', '2026-01-01T10:00:00Z', '2026-01-02T00:00:01Z'),
      stored('b', '2026-01-01T10:01:00Z', '2026-01-02T00:00:03Z'),
      stored('c', '2026-01-01T10:02:00Z', '2026-01-02T00:00:02Z'),
    ]
    const journal = [
      entry(1, 'a', 'stored'),
      entry(2, 'c', 'stored'),
      entry(3, 'b', 'stored'),
      entry(4, 'a', 'already-stored'),
      entry(5, 'b', 'not-stored'),
    ]
    const timeline = timelineOf(events, journal)
    expect(timeline.map((e) => [e.key, e.arrival, e.late, e.stored, e.deliveries])).toEqual([
      ['a', 1, false, true, [1, 4]],
      ['b', 3, true, true, [3]],
      ['c', 2, false, true, [2]],
      // A forged copy of b: same key, refused, never counted as its delivery.
      ['b', 0, false, false, [5]],
    ])
  })

  it('redacts tokens from URLs (query, /hook/<token>, --token anywhere) and tells the receivers apart', () => {
    expect(redactedUrl('/hook?x=1&token=abc&y=2', null)).toBe('/hook?x=1&token=***&y=2')
    expect(redactedUrl('/hook/abc?x=1', null)).toBe('/hook/***?x=1')
    expect(redactedUrl('/other/s3cret', 's3cret')).toBe('/other/***')
    expect([
      formatOf('/webhooks/smartsupp'),
      formatOf('/webhooks/smartsupp/?a'),
      formatOf('/hook/t'),
      formatOf('/hooks'),
    ]).toEqual(['webhook', 'webhook', 'post-hook', 'other-path'])
  })

  it('the journal reads back what an earlier run wrote, skipping a line cut short by a crash, and goes on numbering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsupp-journal-'))
    try {
      const first = await DeliveryJournal.open(dir, { maxFiles: 10, maxTotal: 1000 })
      expect(first.nextSeq()).toBe(1)
      await first.record({ ...entry(1, 'k', 'stored'), kept: false }, null, null)
      appendFileSync(join(dir, JOURNAL_FILE), '{"seq":2,"receivedAt":"2026-')
      const second = await DeliveryJournal.open(dir, { maxFiles: 10, maxTotal: 1000 })
      expect(second.list().map((d) => d.seq)).toEqual([1])
      expect(second.nextSeq()).toBe(2)
      expect(second.claimKey('k', 2)).toBe(1)
      expect(second.claimKey('other', 3)).toBeNull()
      expect(second.claimKey('other', 4)).toBe(3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("a restarted journal serves a body only from a file directly in bodies/, whatever a line's file says", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsupp-journal-'))
    try {
      const journal = await DeliveryJournal.open(dir, { maxFiles: 10, maxTotal: 10_000 })
      writeFileSync(join(dir, 'bodies', 'ok.json'), '{"ok":1}')
      writeFileSync(join(dir, 'outside.txt'), 'not a delivery')
      const files = [
        'bodies/ok.json',
        '../outside.txt',
        'outside.txt',
        join(dir, 'outside.txt'),
        'bodies/../outside.txt',
        'bodies/..',
        'bodies/',
        'bodies\\..\\outside.txt',
        'bodies/sub/ok.json',
        'bodies/ok.json\u0000',
        42,
      ]
      const lines = files.map((file, i) => JSON.stringify({ ...entry(i + 1, `k${i}`, 'stored'), file }))
      appendFileSync(join(dir, JOURNAL_FILE), `${lines.join('\n')}\n`)
      void journal
      const restarted = await DeliveryJournal.open(dir, { maxFiles: 10, maxTotal: 10_000 })
      const bodies = await Promise.all(files.map((_, i) => restarted.body(i + 1)))
      expect(bodies.map((b) => (b === null ? null : Buffer.from(b).toString()))).toEqual([
        '{"ok":1}',
        ...files.slice(1).map(() => null),
      ])
      expect(files.map((_, i) => restarted.get(i + 1)?.file)).toEqual([
        'bodies/ok.json',
        ...files.slice(1).map(() => null),
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('every signature verdict has its own words, and a store state the page does not know yet shows by its own name', () => {
    const verdicts: SignatureVerdict[] = [
      { kind: 'valid', secretIndex: 0, secretCount: 1 },
      { kind: 'valid', secretIndex: 1, secretCount: 2 },
      { kind: 'missing', message: '' },
      { kind: 'malformed', message: '' },
      { kind: 'mismatch', message: '' },
      { kind: 'not_raw_body', message: '' },
      { kind: 'unverified', signed: true },
      { kind: 'token-valid' },
      { kind: 'token-wrong', given: true },
      { kind: 'token-wrong', given: false },
      { kind: 'not-read' },
    ]
    const texts = verdicts.map((v) => signatureLook(v).text)
    expect(new Set(texts).size).toBe(texts.length)
    expect(texts.slice(0, 6)).toEqual([
      'Signed',
      'Signed · secret 2',
      'Unsigned',
      'Bad signature header',
      'Forged or wrong secret',
      'Not the raw body',
    ])
    expect(stateLook('exported')).toMatchObject({ text: 'Exported', tone: 'ok' })
    expect(stateLook('revised')).toEqual({
      text: 'revised',
      tone: 'muted',
      detail: 'The store says "revised".',
    })
  })
})

describe('dayLabels: the per-day chart axis', () => {
  it('gives MM-DD, and the year under the first day of each year only when the days span years', () => {
    expect(dayLabels(['2024-03-14', '2024-12-31'])).toEqual([
      { day: '03-14', year: null },
      { day: '12-31', year: null },
    ])
    expect(dayLabels(['2024-03-14', '2024-03-15', '2026-03-02', '2026-03-05'])).toEqual([
      { day: '03-14', year: '2024' },
      { day: '03-15', year: null },
      { day: '03-02', year: '2026' },
      { day: '03-05', year: null },
    ])
    expect(dayLabels([])).toEqual([])
  })
})

describe('loadPageAssets', () => {
  it('names a missing page file as the CLI names paths, not by its absolute path', async () => {
    // Under the working directory (the package, in this test run), as a build without the page is.
    const missing = join(process.cwd(), 'dist', 'no-inspect-page-here')
    const error = await loadPageAssets(missing).then(
      () => null,
      (e: unknown) => e as Error,
    )
    expect(error?.message).toBe(
      `the inspect page is missing (./${join('dist', 'no-inspect-page-here', 'index.html')}): it is built with the package (npm run build in a clone of the repository)`,
    )
    expect(error?.message).not.toContain(process.cwd())
  })
})
