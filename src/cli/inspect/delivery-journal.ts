import { appendFile, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { makeDirectory } from '../../store/make-directory.js'
import type { SaveBudget } from '../receive-to-file.js'
import type { DeliveryDetail, DeliverySummary } from './inspect-api-types.js'

/** The journal's lines, one JSON object per delivery, in `--out`. */
export const JOURNAL_FILE = 'deliveries.jsonl'
/** The folder of kept bodies in `--out`, named as `listen --out` names them (so `replay` takes it). */
export const BODIES_DIR = 'bodies'
/** Deliveries whose body was not kept (refused unread) are remembered, the most recent this many. */
const MAX_UNKEPT = 500

/**
 * A delivery as the journal keeps it: what the detail view shows but the decoded model (decoded
 * again from the body when asked for, so it is not held twice), and when the event happened.
 */
export interface JournalEntry extends Omit<DeliveryDetail, 'model'> {
  /** The decoded event's `timestamp` (ISO 8601), for the timeline; `null` when it has none. */
  readonly occurredAt: string | null
}

/** Limits of the journal: `listen`'s `--max-files` and `--max-total`. */
export interface JournalLimits {
  readonly maxFiles: number
  readonly maxTotal: number
}

/**
 * Every delivery `inspect` received, for its page: in memory, and with `--out` also on disk (a
 * JSON line per delivery in `deliveries.jsonl`, each kept body in `bodies/`), so a restarted
 * inspector shows what came before. Separate from the event store on purpose: forged and
 * malformed deliveries are shown here but never enter the store. Bounded by `--max-files` and
 * `--max-total` (bodies kept) and, for deliveries refused unread, by the most recent 500.
 */
export class DeliveryJournal {
  readonly #dir: string | null
  readonly #limits: JournalLimits
  readonly #entries = new Map<number, JournalEntry>()
  /** Bodies in memory when there is no `--out`. */
  readonly #bodies = new Map<number, Uint8Array>()
  readonly #firstByKey = new Map<string, number>()
  readonly #unkept: number[] = []
  #seq = 0
  #files = 0
  #bytes = 0

  private constructor(dir: string | null, limits: JournalLimits) {
    this.#dir = dir
    this.#limits = limits
  }

  /** Opens the journal: with `dir`, creates it or reads back what an earlier run wrote there. */
  static async open(dir: string | null, limits: JournalLimits): Promise<DeliveryJournal> {
    const journal = new DeliveryJournal(dir, limits)
    if (dir !== null) {
      await makeDirectory(join(dir, BODIES_DIR))
      await journal.#restore(dir)
    }
    return journal
  }

  async #restore(dir: string): Promise<void> {
    let text: string
    try {
      text = await readFile(join(dir, JOURNAL_FILE), 'utf8')
    } catch {
      return
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue
      let entry: JournalEntry
      try {
        entry = JSON.parse(line) as JournalEntry
      } catch {
        // A line cut short when a process died mid-write: the deliveries before it are whole.
        continue
      }
      if (!Number.isSafeInteger(entry?.seq) || entry.seq < 1) continue
      // The line names its body's file; anyone who could write the journal could name any file
      // (`../../.ssh/id_rsa`, `/etc/passwd`): only a name under bodies/ is taken.
      if (entry.file !== null && bodyFileOf(entry.file) === null) entry = { ...entry, file: null }
      this.#add(entry)
      if (entry.kept) {
        this.#files++
        this.#bytes += entry.size
      }
    }
  }

  #add(entry: JournalEntry): void {
    this.#entries.set(entry.seq, entry)
    this.#seq = Math.max(this.#seq, entry.seq)
    if (
      entry.key !== null &&
      entry.duplicateOf === null &&
      !this.#firstByKey.has(entry.key) &&
      accepted(entry)
    )
      this.#firstByKey.set(entry.key, entry.seq)
    if (!entry.kept) {
      this.#unkept.push(entry.seq)
      if (this.#unkept.length > MAX_UNKEPT) {
        const dropped = this.#unkept.shift() as number
        this.#entries.delete(dropped)
      }
    }
  }

  /** The next delivery's number. */
  nextSeq(): number {
    return ++this.#seq
  }

  /** Whether one more body may be kept (`--max-files`, `--max-total`); takes a file slot when it may. */
  reserveFile(): boolean {
    if (this.#files >= this.#limits.maxFiles || this.#bytes >= this.#limits.maxTotal) return false
    this.#files++
    return true
  }

  /** Gives back a slot `reserveFile` took, for a body that was not kept after all. */
  releaseFile(): void {
    this.#files--
  }

  /** The byte budget bodies are read against (`--max-total`), shared by every request. */
  readonly budget: SaveBudget = {
    take: (bytes) => {
      if (this.#bytes + bytes > this.#limits.maxTotal) return false
      this.#bytes += bytes
      return true
    },
    give: (bytes) => {
      this.#bytes -= bytes
    },
  }

  /** Where a body being received is written (`null` without `--out`: it is kept in memory). */
  partFile(name: string): string | null {
    return this.#dir === null ? null : join(this.#dir, BODIES_DIR, name)
  }

  /**
   * Records a delivery: its body (renamed from `partFile` to its final name, or kept in memory)
   * and its journal line, written before the delivery is answered.
   */
  async record(entry: JournalEntry, body: Uint8Array | null, partFile: string | null): Promise<void> {
    if (this.#dir !== null) {
      if (partFile !== null) {
        if (entry.file !== null) await rename(partFile, join(this.#dir, entry.file))
        else await unlink(partFile).catch(() => undefined)
      }
      await appendFile(join(this.#dir, JOURNAL_FILE), `${JSON.stringify(entry)}\n`)
    } else if (entry.kept && body !== null) {
      this.#bodies.set(entry.seq, body)
      // Without --out the bytes are in memory: they count against --max-total all the same.
    }
    this.#add(entry)
  }

  /**
   * The first earlier accepted delivery with this key (this one re-delivers it), or `null` when
   * there is none, and then this one is the first. Synchronous, so two deliveries of one event at
   * once cannot both be first.
   */
  claimKey(key: string, seq: number): number | null {
    const first = this.#firstByKey.get(key)
    if (first !== undefined) return first
    this.#firstByKey.set(key, seq)
    return null
  }

  /** Every delivery, oldest first, as the list shows them. */
  list(): DeliverySummary[] {
    return [...this.#entries.values()].sort((a, b) => a.seq - b.seq).map(summaryOf)
  }

  /** Every delivery with its details, oldest first. */
  entries(): JournalEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.seq - b.seq)
  }

  get(seq: number): JournalEntry | undefined {
    return this.#entries.get(seq)
  }

  /** The kept bytes of a delivery, or `null` when none were kept (or the file is gone). */
  async body(seq: number): Promise<Uint8Array | null> {
    const entry = this.#entries.get(seq)
    if (entry === undefined || !entry.kept) return null
    if (this.#dir === null) return this.#bodies.get(seq) ?? null
    const file = bodyFileOf(entry.file)
    if (file === null) return null
    try {
      return new Uint8Array(await readFile(join(this.#dir, BODIES_DIR, file)))
    } catch {
      return null
    }
  }
}

/**
 * The name of a kept body's file from a journal line's `file` (`bodies/<name>`), or `null` when it
 * does not name one file directly in `bodies/`: not a string, another folder, an absolute path,
 * `..` or `.`, a separator or a NUL in the name.
 */
export function bodyFileOf(file: unknown): string | null {
  if (typeof file !== 'string' || !file.startsWith(`${BODIES_DIR}/`)) return null
  const name = file.slice(BODIES_DIR.length + 1)
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) return null
  return name
}

/** A delivery that passed its authenticity check (or had none to pass), so it may be a re-delivery's original. */
export function accepted(entry: Pick<DeliverySummary, 'signature' | 'format'>): boolean {
  const k = entry.signature.kind
  if (entry.format === 'other-path') return false
  return k === 'valid' || k === 'unverified' || k === 'token-valid' || k === 'token-not-required'
}

/** The list's view of a delivery: the detail without its headers and answer. */
export function summaryOf(entry: JournalEntry): DeliverySummary {
  return {
    seq: entry.seq,
    receivedAt: entry.receivedAt,
    format: entry.format,
    path: entry.path,
    size: entry.size,
    kept: entry.kept,
    status: entry.status,
    signature: entry.signature,
    decode:
      entry.decode.kind === 'decoded'
        ? { ...entry.decode, warnings: entry.decode.warnings.slice(0, 1) }
        : entry.decode.kind === 'invalid'
          ? { ...entry.decode, issues: entry.decode.issues.slice(0, 1) }
          : entry.decode,
    event: entry.event,
    conversationId: entry.conversationId,
    who: entry.who,
    key: entry.key,
    duplicateOf: entry.duplicateOf,
    store: entry.store,
  }
}
