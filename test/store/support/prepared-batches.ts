// What a PGlite store's prepared append batches send (Bind messages of the PostgreSQL protocol),
// for tests that watch batches: they no longer pass through `db.query`.

/** The comment every append batch statement starts with. */
export const APPEND_BATCH_MARK = '/* smartsupp-hook append batch */'

/** The prepared batch statements bound in a protocol message, as `{ sql, params }` (parameters blank). */
export function preparedBatches(message: Uint8Array): { sql: string; params: readonly unknown[] }[] {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength)
  const found: { sql: string; params: readonly unknown[] }[] = []
  for (let at = 0; at < message.byteLength; at += 1 + view.getInt32(at + 1)) {
    if (String.fromCharCode(message[at] as number) !== 'B') continue
    let p = at + 5
    p = message.indexOf(0, p) + 1 // portal
    const end = message.indexOf(0, p)
    const statement = new TextDecoder().decode(message.subarray(p, end))
    p = end + 1
    p += 2 + 2 * view.getInt16(p) // parameter formats
    if (statement.includes('append_'))
      found.push({ sql: `${APPEND_BATCH_MARK} ${statement}`, params: new Array(view.getInt16(p)) })
  }
  return found
}
