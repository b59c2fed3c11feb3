// dueSeenMayHaveDue: whether a claim could find anything due, from the earliest due_from of each
// kind a batch of appends (or a claim) read. True whenever it cannot tell.
import { describe, expect, test } from 'vitest'
import {
  DUE_SEEN_FOR_MS,
  DUE_SEEN_REFRESH_MS,
  type DueSeen,
  dueSeenMayHaveDue,
  dueSeenStale,
} from '../../../src/store/sql/due-seen.js'

const WALL = 1_000_000
const NOW = Date.parse('2026-03-01T12:00:00Z')
const options = { settleMs: 30_000, quietMs: 30 * 60_000 }
const seen = (fields: Partial<DueSeen>): DueSeen => ({
  at: null,
  closed: null,
  open: null,
  seq: 1,
  sentAt: WALL,
  ...fields,
})

describe('dueSeenMayHaveDue', () => {
  test('cannot tell: nothing read yet, or read too long ago (or the clock went back): true', () => {
    expect(dueSeenMayHaveDue(null, options, NOW, WALL)).toBe(true)
    expect(dueSeenMayHaveDue(seen({}), options, NOW, WALL + DUE_SEEN_FOR_MS + 1)).toBe(true)
    expect(dueSeenMayHaveDue(seen({}), options, NOW, WALL - 1)).toBe(true)
    expect(dueSeenMayHaveDue(seen({}), options, NOW, WALL + DUE_SEEN_FOR_MS)).toBe(false)
  })

  test('a retry time or lease end that has come', () => {
    expect(dueSeenMayHaveDue(seen({ at: NOW + 1 }), options, NOW, WALL)).toBe(false)
    expect(dueSeenMayHaveDue(seen({ at: NOW }), options, NOW, WALL)).toBe(true)
  })

  test('a closed conversation settleMs after its last receipt, or quietMs if that is shorter', () => {
    expect(dueSeenMayHaveDue(seen({ closed: NOW - 29_999 }), options, NOW, WALL)).toBe(false)
    expect(dueSeenMayHaveDue(seen({ closed: NOW - 30_000 }), options, NOW, WALL)).toBe(true)
    const shortQuiet = { settleMs: 60_000, quietMs: 10_000 }
    expect(dueSeenMayHaveDue(seen({ closed: NOW - 10_000 }), shortQuiet, NOW, WALL)).toBe(true)
    expect(
      dueSeenMayHaveDue(seen({ closed: NOW - 10_000 }), { settleMs: 60_000, quietMs: null }, NOW, WALL),
    ).toBe(false)
  })

  test('an open conversation quietMs after its last receipt; never without quietMs', () => {
    expect(dueSeenMayHaveDue(seen({ open: NOW - 1_799_999 }), options, NOW, WALL)).toBe(false)
    expect(dueSeenMayHaveDue(seen({ open: NOW - 1_800_000 }), options, NOW, WALL)).toBe(true)
    expect(dueSeenMayHaveDue(seen({ open: 0 }), { settleMs: 0, quietMs: null }, NOW, WALL)).toBe(false)
  })

  test('what a claim read holds for its own options only', () => {
    const fromClaim = seen({ closed: NOW + 1, options: { settleMs: 30_000, quietMs: null } })
    expect(dueSeenMayHaveDue(fromClaim, { settleMs: 30_000, quietMs: null }, NOW, WALL)).toBe(false)
    expect(dueSeenMayHaveDue(fromClaim, { settleMs: 0, quietMs: null }, NOW, WALL)).toBe(true)
    expect(dueSeenMayHaveDue(fromClaim, options, NOW, WALL)).toBe(true)
  })

  test('a batch reads the due times again once what was read is DUE_SEEN_REFRESH_MS old', () => {
    expect(dueSeenStale(null, WALL)).toBe(true)
    expect(dueSeenStale(seen({}), WALL + 1)).toBe(false)
    expect(dueSeenStale(seen({}), WALL + DUE_SEEN_REFRESH_MS)).toBe(true)
  })
})
