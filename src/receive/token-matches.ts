const utf8 = new TextEncoder()

/**
 * Compares a candidate with the expected secret in time that depends only on the expected
 * secret's length, never on where the two first differ (no `node:crypto`, so it runs anywhere).
 */
export function tokenMatches(candidate: string, expected: Uint8Array): boolean {
  const given = utf8.encode(candidate)
  let diff = given.length ^ expected.length
  for (let i = 0; i < expected.length; i++) {
    // Reading past the end of `given` yields undefined → 0; the length term above already differs.
    diff |= (expected[i] as number) ^ (given[i] ?? 0)
  }
  return diff === 0
}
