// groupCommit, the queue behind the SQL stores' batched appends: what arrives while writes are in
// flight is written together, in order, within its bounds; a failed write fails each of its items
// and nothing else; a lone item waits for no timer.
import { describe, expect, test } from 'vitest'
import { groupCommit } from '../../../src/store/sql/group-commit.js'

/** A write the test settles by hand, recording each batch it was given and how many ran at once. */
function manualWrite<Item>() {
  const batches: Item[][] = []
  const pending: { items: Item[]; resolve: (r: string[]) => void; reject: (e: unknown) => void }[] = []
  let running = 0
  let maxRunning = 0
  const write = (items: readonly Item[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push([...items])
      running++
      maxRunning = Math.max(maxRunning, running)
      const done = () => {
        running--
      }
      pending.push({
        items: [...items],
        resolve: (r) => {
          done()
          resolve(r)
        },
        reject: (e) => {
          done()
          reject(e)
        },
      })
    })
  return {
    write,
    batches,
    pending,
    get maxRunning() {
      return maxRunning
    },
    /** Resolves the oldest write in flight, each item's result its own text. */
    finishNext() {
      const next = pending.shift()
      next?.resolve(next.items.map((i) => `done ${String(i)}`))
    },
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Finishes each write as it comes until every one of `results` settled. */
async function finishAll(w: { pending: unknown[]; finishNext(): void }, results: Promise<unknown>[]) {
  let settled = false
  const all = Promise.allSettled(results).then(() => {
    settled = true
  })
  while (!settled) {
    if (w.pending.length > 0) w.finishNext()
    await turn()
  }
  await all
}

describe('groupCommit', () => {
  test('a lone item is written in the same turn of the event loop: no timer to wait for', async () => {
    const w = manualWrite<string>()
    const queue = groupCommit(w.write, { maxItems: 100, maxBytes: 1000, inFlight: 1 })
    const result = queue.submit('a', 1)
    expect(w.batches).toEqual([])
    await turn()
    expect(w.batches).toEqual([['a']])
    w.finishNext()
    expect(await result).toBe('done a')
  })

  test('items submitted together are written together, in order, each answered with its own result', async () => {
    const w = manualWrite<number>()
    const queue = groupCommit(w.write, { maxItems: 100, maxBytes: 1000, inFlight: 1 })
    const results = [1, 2, 3, 4].map((i) => queue.submit(i, 1))
    await turn()
    expect(w.batches).toEqual([[1, 2, 3, 4]])
    w.finishNext()
    expect(await Promise.all(results)).toEqual(['done 1', 'done 2', 'done 3', 'done 4'])
  })

  test('what arrives while the writes in flight are busy forms the next batch; never more than inFlight at once', async () => {
    const w = manualWrite<number>()
    const queue = groupCommit(w.write, { maxItems: 100, maxBytes: 1000, inFlight: 2 })
    const all: Promise<string>[] = [queue.submit(0, 1)]
    await turn()
    all.push(queue.submit(1, 1))
    await turn()
    // Two in flight: the next ones wait, and go together once a write ends.
    for (let i = 2; i < 7; i++) all.push(queue.submit(i, 1))
    await turn()
    expect(w.batches).toEqual([[0], [1]])
    w.finishNext()
    await turn()
    await turn()
    expect(w.batches).toEqual([[0], [1], [2, 3, 4, 5, 6]])
    await finishAll(w, all)
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `done ${i}`))
    expect(w.maxRunning).toBe(2)
  })

  test('batches stay within maxItems and about maxBytes; an item larger than maxBytes goes alone', async () => {
    const w = manualWrite<string>()
    const queue = groupCommit(w.write, { maxItems: 3, maxBytes: 10, inFlight: 1 })
    const sizes: [string, number][] = [
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['big', 50],
      ['e', 4],
      ['f', 4],
      ['g', 4],
    ]
    const all = sizes.map(([item, bytes]) => queue.submit(item, bytes))
    await finishAll(w, all)
    expect(w.batches).toEqual([['a', 'b', 'c'], ['d'], ['big'], ['e', 'f'], ['g']])
  })

  test('a failed write rejects each of its items with its error, and only those', async () => {
    const w = manualWrite<number>()
    const queue = groupCommit(w.write, { maxItems: 2, maxBytes: 1000, inFlight: 2 })
    const all = [1, 2, 3, 4].map((i) => queue.submit(i, 1).then(String, (e: Error) => `failed ${e.message}`))
    await turn()
    expect(w.batches).toEqual([
      [1, 2],
      [3, 4],
    ])
    w.pending[0]?.reject(new Error('connection reset'))
    w.pending.shift()
    w.finishNext()
    expect(await Promise.all(all)).toEqual([
      'failed connection reset',
      'failed connection reset',
      'done 3',
      'done 4',
    ])
  })

  test('a write that answers for the wrong number of items fails them all', async () => {
    const queue = groupCommit(async (items: readonly number[]) => items.slice(1).map(String), {
      maxItems: 10,
      maxBytes: 1000,
      inFlight: 1,
    })
    const all = [1, 2, 3].map((i) => queue.submit(i, 1).then(String, (e: Error) => e.message))
    expect(await Promise.all(all)).toEqual(
      Array(3).fill('group commit: the write returned 2 results for 3 items'),
    )
  })

  test('a write that throws synchronously fails its items instead of escaping', async () => {
    const queue = groupCommit(
      (): Promise<string[]> => {
        throw new Error('bad statement')
      },
      { maxItems: 10, maxBytes: 1000, inFlight: 1 },
    )
    await expect(queue.submit(1, 1)).rejects.toThrow('bad statement')
  })

  test('drain resolves once everything submitted was written', async () => {
    const w = manualWrite<number>()
    const queue = groupCommit(w.write, { maxItems: 1, maxBytes: 1000, inFlight: 1 })
    await queue.drain()
    const all = [1, 2, 3].map((i) => queue.submit(i, 1))
    let drained = false
    const draining = queue.drain().then(() => {
      drained = true
    })
    for (let i = 0; i < 3; i++) {
      while (w.pending.length === 0) await turn()
      expect(drained).toBe(false)
      w.finishNext()
    }
    await draining
    expect(await Promise.all(all)).toEqual(['done 1', 'done 2', 'done 3'])
  })
  test('with deadlineMs, an item whose write never ends rejects at its deadline, and one queued behind it is dropped, never written', async () => {
    const w = manualWrite<number>()
    const queue = groupCommit(w.write, {
      maxItems: 1,
      maxBytes: 1000,
      inFlight: 1,
      deadlineMs: 30,
      timedOut: (ms) => new Error(`not written within ${ms} ms`),
    })
    const first = queue.submit(1, 1)
    const second = queue.submit(2, 1)
    await turn()
    expect(w.batches).toEqual([[1]])
    // The write of 1 never ends (a frozen database): both reject at their deadline.
    await expect(first).rejects.toThrow('not written within 30 ms')
    await expect(second).rejects.toThrow('not written within 30 ms')
    // When the hung write finally ends, its late result is ignored and 2, expired, is not written.
    w.finishNext()
    await turn()
    await turn()
    expect(w.batches).toEqual([[1]])
    const third = queue.submit(3, 1)
    while (w.pending.length === 0) await turn()
    expect(w.batches).toEqual([[1], [3]])
    w.finishNext()
    expect(await third).toBe('done 3')
    await queue.drain()
  })
})
