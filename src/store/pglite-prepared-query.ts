import { Buffer } from 'node:buffer'

/**
 * What `pglitePreparedQuery` needs of a PGlite instance: its protocol entry and its two locks (all in
 * PGlite's public interface since 0.2). Absent on a PGlite that lacks them: the caller then
 * uses `query`.
 */
export interface PGliteProtocol {
  execProtocol(
    message: Uint8Array,
    options?: { syncToFs?: boolean },
  ): Promise<{ messages: readonly { name: string; fields?: unknown[] }[] }>
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>
}

/** Whether `db` has what `pglitePreparedQuery` needs. */
export function hasPGliteProtocol(db: unknown): db is PGliteProtocol {
  const d = db as Partial<Record<keyof PGliteProtocol, unknown>> | null
  return (
    typeof d?.execProtocol === 'function' &&
    typeof d._runExclusiveTransaction === 'function' &&
    typeof d._runExclusiveQuery === 'function'
  )
}

const encoder = new TextEncoder()

/** One frontend message: its type byte, then its length and body. */
class Message {
  private readonly parts: Uint8Array[] = []
  private length = 0

  bytes(b: Uint8Array): this {
    this.parts.push(b)
    this.length += b.byteLength
    return this
  }

  cstring(s: string): this {
    return this.bytes(encoder.encode(`${s}\0`))
  }

  int16(n: number): this {
    const b = new Uint8Array(2)
    new DataView(b.buffer).setInt16(0, n)
    return this.bytes(b)
  }

  int32(n: number): this {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, n)
    return this.bytes(b)
  }

  done(type: string): Uint8Array {
    const out = new Uint8Array(5 + this.length)
    out[0] = type.charCodeAt(0)
    new DataView(out.buffer).setInt32(1, 4 + this.length)
    let at = 5
    for (const p of this.parts) {
      out.set(p, at)
      at += p.byteLength
    }
    return out
  }
}

/** A parameter in PostgreSQL's text format (the statement casts each one to its type). */
function paramText(value: unknown): Uint8Array | null {
  if (value === null || value === undefined) return null
  if (value instanceof Uint8Array) {
    return encoder.encode(
      `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`,
    )
  }
  if (value instanceof Date) return encoder.encode(value.toISOString())
  if (typeof value === 'boolean') return encoder.encode(value ? 't' : 'f')
  if (typeof value === 'number' || typeof value === 'string') return encoder.encode(String(value))
  throw new TypeError(`PGlite prepared statement: cannot send a parameter of type ${typeof value}`)
}

const INT4 = 23
const INT4_ARRAY = 1007
const TIMESTAMPTZ = 1184

/** A column in text format to its value, for the types the prepared statements return. */
function columnValue(text: string | null, type: number): unknown {
  if (text === null) return null
  if (type === TIMESTAMPTZ) return new Date(text)
  if (type === INT4) return Number(text)
  if (type === INT4_ARRAY) return text === '{}' ? [] : text.slice(1, -1).split(',').map(Number)
  throw new TypeError(`PGlite prepared statement: no reader for a column of type ${type}`)
}

/** The statements prepared on each PGlite instance (one session each). */
const preparedOn = new WeakMap<object, Set<string>>()

interface DatabaseErrorLike {
  readonly code?: string
}

/**
 * Runs `sql` as the prepared statement `name` on PGlite (internal): parsed and planned once per
 * instance, then each call sends only Bind, Describe, Execute and Sync in one protocol message, so
 * the statement is not parsed, analysed and planned again. It takes PGlite's transaction and query
 * locks as `query` does (never inside another caller's transaction) and syncs to the file system
 * as `query` does. Columns may be int4, int4[] or timestamptz.
 */
export async function pglitePreparedQuery<Row>(
  db: PGliteProtocol,
  name: string,
  sql: string,
  params: readonly unknown[],
): Promise<Row[]> {
  let names = preparedOn.get(db)
  if (names === undefined) {
    names = new Set()
    preparedOn.set(db, names)
  }
  const known = names
  const run = async (parse: boolean) => {
    const parts: Uint8Array[] = []
    if (parse) parts.push(new Message().cstring(name).cstring(sql).int16(0).done('P'))
    const bind = new Message().cstring('').cstring(name).int16(0).int16(params.length)
    for (const value of params) {
      const text = paramText(value)
      if (text === null) bind.int32(-1)
      else bind.int32(text.byteLength).bytes(text)
    }
    parts.push(bind.int16(0).done('B'))
    parts.push(new Message().bytes(encoder.encode('P\0')).done('D'))
    parts.push(new Message().cstring('').int32(0).done('E'))
    parts.push(new Message().done('S'))
    const message = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
    let at = 0
    for (const p of parts) {
      message.set(p, at)
      at += p.byteLength
    }
    const { messages } = await db._runExclusiveTransaction(() =>
      db._runExclusiveQuery(() => db.execProtocol(message, { syncToFs: true })),
    )
    if (parse) known.add(name)
    return messages
  }
  let messages: Awaited<ReturnType<typeof run>>
  try {
    messages = await run(!known.has(name))
  } catch (error) {
    // Nothing ran: the statement was not there (deallocated) or already there (prepared by
    // another store on this instance). Once more, the other way.
    const code = (error as DatabaseErrorLike | null)?.code
    if (code === '26000') {
      known.delete(name)
      messages = await run(true)
    } else if (code === '42P05') {
      known.add(name)
      messages = await run(false)
    } else {
      throw error
    }
  }
  const description = messages.find((m) => m.name === 'rowDescription') as
    | { fields: { name: string; dataTypeID: number }[] }
    | undefined
  const columns = description?.fields ?? []
  return messages
    .filter((m) => m.name === 'dataRow')
    .map((m) => {
      const row: Record<string, unknown> = {}
      const values = (m as { fields: (string | null)[] }).fields
      columns.forEach((c, i) => {
        row[c.name] = columnValue(values[i] ?? null, c.dataTypeID)
      })
      return row as Row
    })
}
