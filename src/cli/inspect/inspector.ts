import { readFile, unlink } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Either } from 'fp-ts/lib/Either.js'
import type { DecodeFailure } from '../../decode/decode-failure.js'
import { parseConversation } from '../../decode/parse-conversation.js'
import { parseWebhookEvent } from '../../decode/webhook/parse-webhook-event.js'
import { idempotencyKey } from '../../helpers/idempotency-key.js'
import { webhookEventKey } from '../../helpers/webhook-event-key.js'
import type { AssembledConversation, PostHookConversation } from '../../model/conversation.js'
import type { WebhookEvent } from '../../model/webhook-event.js'
import { receiveBody } from '../../receive/receive-body.js'
import type { ResolvedReceiveOptions } from '../../receive/receive-options.js'
import { resolveReceiveOptions } from '../../receive/receive-options.js'
import { receiveWebhook } from '../../receive/receive-webhook.js'
import { tokenInUrl } from '../../receive/token-in-url.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../receive/verify-webhook-signature.js'
import {
  type ResolvedWebhookReceiveOptions,
  resolveWebhookReceiveOptions,
} from '../../receive/webhook-receive-options.js'
import type { EventStore, StoredConversation } from '../../store/event-store.js'
import type { FinishedContext } from '../../store/export-finished.js'
import { stopExportSweep } from '../../store/export-sweeps.js'
import { poisonedEventKey } from '../../store/poisoned-event-key.js'
import { formatBytes } from '../byte-size.js'
import { errorMessage } from '../cli-error.js'
import { bodyKindOf } from '../decode-body.js'
import { fileSafe } from '../file-safe.js'
import { plural } from '../plural.js'
import { byteBudget, receiveToFile } from '../receive-to-file.js'
import { displayLine, type TerminalStyle } from '../terminal-style.js'
import { webhookEventSummary } from '../webhook-event-summary.js'
import { conversationView } from './conversation-view.js'
import { accepted, type DeliveryJournal, type JournalEntry } from './delivery-journal.js'
import { formatOf, redactedHeaders, redactedUrl } from './delivery-request.js'
import { decodeVerdictOf, signatureVerdictOf } from './delivery-verdicts.js'
import type { EventStreamHub } from './event-stream-hub.js'
import type { DecodeVerdict, ExportRecord, SignatureVerdict, StoreOutcome } from './inspect-api-types.js'

/** With --out a body goes to its file as it arrives and nothing is held in memory. */
const UNBOUNDED_MEMORY = byteBudget(Number.POSITIVE_INFINITY)

/** What `inspect` was started with that the receiving needs. */
export interface InspectorSettings {
  readonly secrets: readonly string[]
  readonly token: string | null
  readonly maxBytes: number
  readonly settleMs: number
  readonly quietMs: number | null
  readonly sweepIntervalMs: number
  /**
   * Whether inspect exports finished conversations itself (to its own `onConversationFinished`,
   * which records them). Off on a store of yours (`--store` without `--export`): there your
   * receivers export, and inspect must not take their conversations from them.
   */
  readonly exports: boolean
}

/** Where a delivery's answer goes. */
interface Answer {
  readonly status: number
  readonly body: unknown
  readonly close?: boolean
}

/**
 * The receiving half of `inspect`: each POST is read (within `--max-bytes`, `--max-files` and
 * `--max-total`), checked by the library's own receivers, kept in the journal with its verdicts,
 * and told to the pages following. Authentic webhook events go into the event store through
 * `receiveWebhook` with a store, exactly as a production receiver keeps them, and finished
 * conversations are exported to inspect's own `onConversationFinished`, which records them.
 */
export class Inspector {
  readonly journal: DeliveryJournal
  readonly store: EventStore
  readonly settings: InspectorSettings
  readonly #hub: EventStreamHub
  readonly #out: TerminalStyle
  readonly #webhooks: ResolvedWebhookReceiveOptions<IncomingMessage> | null
  readonly #hook: ResolvedReceiveOptions<IncomingMessage>
  /** What `append` answered per key (inserted or not), read once by the delivery that appended it. */
  readonly #appended = new Map<string, boolean>()
  readonly #exports = new Map<string, ExportRecord[]>()
  #watch: ReturnType<typeof setInterval> | null = null
  #watching = false
  #lastSeen = new Map<string, string>()
  readonly #owner = `smartsupp-hook inspect ${process.pid}`

  constructor(
    settings: InspectorSettings,
    journal: DeliveryJournal,
    store: EventStore,
    hub: EventStreamHub,
    out: TerminalStyle,
  ) {
    this.settings = settings
    this.journal = journal
    this.#hub = hub
    this.#out = out
    const appended = this.#appended
    // The store as the receiver uses it, telling each delivery whether its event was new.
    this.store = new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'append') return Reflect.get(target, name, receiver)
        return async (event: Parameters<EventStore['append']>[0]) => {
          const outcome = await target.append(event)
          appended.set(event.key, outcome.inserted)
          return outcome
        }
      },
    })
    this.#webhooks =
      settings.secrets.length === 0
        ? null
        : resolveWebhookReceiveOptions<IncomingMessage>(
            {
              secret: [...settings.secrets],
              store: this.store,
              limit: settings.maxBytes,
              ...(settings.exports
                ? {
                    settleMs: settings.settleMs,
                    quietMs: settings.quietMs,
                    sweepIntervalMs: settings.sweepIntervalMs,
                    owner: this.#owner,
                    onConversationFinished: (c: AssembledConversation, context: FinishedContext) =>
                      this.#exported(c, context),
                    onExportError: (error: unknown, id: string | null) => this.#exportError(error, id),
                  }
                : {}),
              // Kept as poisoned by the store; the page shows it, so no console line per body.
              onInvalid: () => undefined,
            },
            // A local tool: a made-up secret of any length is fine here (the adapters want 16 bytes).
            { minSecretBytes: 1 },
          )
    this.#hook = resolveReceiveOptions<IncomingMessage>({
      onConversation: () => undefined,
      onInvalid: () => undefined,
      limit: settings.maxBytes,
    })
  }

  /** The exports inspect's `onConversationFinished` saw for a conversation, oldest first. */
  exportsOf(conversationId: string): readonly ExportRecord[] {
    return this.#exports.get(conversationId) ?? []
  }

  async #exported(c: AssembledConversation, context: FinishedContext): Promise<void> {
    const record: ExportRecord = {
      at: new Date().toISOString(),
      reason: context.reason,
      revision: context.revision,
      attempt: context.attempt,
      owner: context.claim.owner,
      messageCount: c.messages.length,
    }
    const list = this.#exports.get(c.id)
    if (list === undefined) this.#exports.set(c.id, [record])
    else list.push(record)
    const view = conversationView(c)
    process.stdout.write(
      `${this.#out.dim(record.at.slice(11, 19))} ${this.#out.green('exported')} conversation ${displayLine(c.id)}: ${plural(c.messages.length, 'message')}, ${view.agents.length === 0 ? 'no agent' : view.agents.map((a) => displayLine(a.name)).join(', ')} (revision ${context.revision}, ${context.reason}, attempt ${context.attempt})\n`,
    )
    this.#hub.send('conversations', { ids: [c.id] })
  }

  /**
   * Every second while pages are open: compares the most recent conversations with the last look
   * and tells the pages which changed (a settle period ending, an export, another receiver sharing
   * a PostgreSQL store). The exports themselves are the receiver's sweep, started with it.
   */
  startWatching(): void {
    if (this.#watch !== null) return
    this.#watch = setInterval(() => {
      if (this.#watching || this.#hub.size === 0) return
      this.#watching = true
      this.store
        .conversations({ limit: 200 })
        .then((list) => this.#compare(list))
        .catch(() => undefined)
        .finally(() => {
          this.#watching = false
        })
    }, 1000)
    this.#watch.unref()
  }

  #compare(list: readonly StoredConversation[]): void {
    const changed: string[] = []
    const next = new Map<string, string>()
    for (const c of list) {
      const look = JSON.stringify(c)
      next.set(c.conversationId, look)
      if (this.#lastSeen.get(c.conversationId) !== look) changed.push(c.conversationId)
    }
    this.#lastSeen = next
    if (changed.length > 0) this.#hub.send('conversations', { ids: changed })
  }

  /** Stops the timers (the store is closed after). */
  stop(): void {
    if (this.#watch !== null) clearInterval(this.#watch)
    this.#watch = null
    stopExportSweep(this.store)
  }

  #exportError(error: unknown, id: string | null): void {
    process.stderr.write(
      `${this.#out.red('export failed')} ${id === null ? '' : `conversation ${displayLine(id)}: `}${displayLine(errorMessage(error))}\n`,
    )
  }

  /** Receives one POST to a receiver path; answers it and records it. Never rejects. */
  async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (a: Answer) => {
      if (res.headersSent || res.destroyed) return
      res
        .writeHead(a.status, {
          'content-type': 'application/json; charset=utf-8',
          ...(a.close === true ? { connection: 'close' } : {}),
        })
        .end(JSON.stringify(a.body))
    }
    try {
      await this.#receive(req, answer)
    } catch (e) {
      process.stderr.write(`${this.#out.red('error')} ${displayLine(errorMessage(e))}\n`)
      answer({ status: 500, body: { error: 'The inspector failed to keep this delivery' } })
    }
  }

  async #receive(req: IncomingMessage, answer: (a: Answer) => void): Promise<void> {
    const { journal, settings } = this
    const seq = journal.nextSeq()
    const time = new Date()
    const url = req.url ?? '/'
    const format = formatOf(url)
    const base = {
      seq,
      receivedAt: time.toISOString(),
      format,
      method: req.method ?? 'POST',
      path: redactedUrl(url, settings.token),
      headers: redactedHeaders(req, settings.token),
    }
    const unread = async (
      status: number,
      reason: 'too-large' | 'no-room' | 'cut-off',
      error: string,
      size: number,
    ): Promise<void> => {
      const entry: JournalEntry = {
        ...base,
        size,
        kept: false,
        status,
        signature: { kind: 'not-read' },
        decode: { kind: 'not-read', reason },
        event: null,
        conversationId: null,
        who: null,
        key: null,
        duplicateOf: null,
        store: format === 'webhook' ? 'not-stored' : 'not-an-event',
        answer: JSON.stringify({ error }),
        occurredAt: null,
        file: null,
      }
      await journal.record(entry, null, null)
      this.#told(entry)
      answer({ status, body: { error }, close: true })
    }
    const tooLarge = `Payload too large: the limit is ${formatBytes(settings.maxBytes)} (--max-bytes)`
    const noRoom = 'The inspector has kept all it may (--max-files or --max-total)'
    const declared = Number(req.headers['content-length'] ?? Number.NaN)
    if (declared > settings.maxBytes) {
      req.resume()
      return unread(413, 'too-large', tooLarge, 0)
    }
    if (!journal.reserveFile()) {
      req.resume()
      return unread(507, 'no-room', noRoom, 0)
    }
    const part = journal.partFile(`${fileStamp(time, seq)}-receiving.json`)
    // Without --out the bytes are kept in memory: each is reserved from --max-total as it arrives
    // (and stays reserved once kept), so uploads arriving together hold at most --max-total between
    // them, and one that would pass it is refused mid-body instead of being read whole first.
    const body = await receiveToFile(
      req,
      settings.maxBytes,
      part,
      journal.budget,
      part === null ? journal.budget : UNBOUNDED_MEMORY,
    )
    if (body.kind !== 'whole') {
      journal.releaseFile()
      if (part !== null) await unlink(part).catch(() => undefined)
      if (body.kind === 'too_large') return unread(413, 'too-large', tooLarge, body.size)
      if (body.kind === 'no_room' || body.kind === 'no_memory')
        return unread(507, 'no-room', noRoom, body.size)
      return unread(400, 'cut-off', 'The request body was cut off before its end', body.size)
    }
    // With --out the body went to its file as it arrived: read back.
    const bytes = body.bytes ?? (await readFile(part as string))
    const head = { method: base.method, url, headers: req.headers, request: req }
    const checked =
      format === 'webhook'
        ? await this.#webhook(head, bytes)
        : format === 'post-hook'
          ? await this.#postHook(head, bytes)
          : otherPath(bytes)
    const decoded = checked.decoded
    const value = decoded?._tag === 'Right' ? decoded.right : null
    const key =
      value === null
        ? checked.poisonedKey
        : 'event' in value && 'known' in value
          ? webhookEventKey(value)
          : idempotencyKey(value as PostHookConversation)
    const summary = value !== null && 'known' in value ? webhookEventSummary(value) : null
    const conversation = value !== null && !('known' in value) ? (value as PostHookConversation) : null
    const signature = checked.signature
    const entryBase = { signature, format }
    const duplicateOf = key !== null && accepted(entryBase) ? journal.claimKey(key, seq) : null
    const decode: DecodeVerdict =
      decoded === null
        ? { kind: 'invalid', as: 'webhook', issueCount: 0, issues: [], message: '' }
        : decodeVerdictOf(checked.as, decoded)
    const entry: JournalEntry = {
      ...base,
      size: bytes.length,
      kept: true,
      status: checked.answer.status,
      signature,
      decode,
      event: summary?.event ?? (conversation !== null ? 'conversation' : eventNameOf(bytes)),
      conversationId: summary?.conversationId ?? conversation?.id ?? null,
      who:
        summary?.contact ??
        summary?.author ??
        conversation?.visitor?.name ??
        conversation?.visitor?.email ??
        null,
      key,
      duplicateOf,
      store: checked.store(key),
      answer: JSON.stringify(checked.answer.body),
      occurredAt: summary?.time?.toISOString() ?? null,
      file:
        part === null
          ? null
          : `bodies/${fileStamp(time, seq)}-${fileNameOf(signature, decode, summary, conversation)}.json`,
    }
    await journal.record(entry, bytes, part)
    this.#told(entry)
    if (entry.format === 'webhook' && entry.conversationId !== null && entry.store === 'stored') {
      this.#hub.send('conversations', { ids: [entry.conversationId] })
    }
    answer(checked.answer)
  }

  #told(entry: JournalEntry): void {
    this.#hub.send('delivery', { seq: entry.seq })
    process.stdout.write(`${deliveryLine(entry, this.#out)}\n`)
  }

  async #webhook(
    head: { method: string; url: string; headers: IncomingMessage['headers']; request: IncomingMessage },
    bytes: Uint8Array,
  ): Promise<Checked> {
    const header = head.headers[WEBHOOK_SIGNATURE_HEADER]
    if (this.#webhooks === null) {
      // No secret: shown like listen shows it, never stored (nothing proves where it came from).
      const decoded = parseWebhookEvent(bytes)
      return {
        as: 'webhook',
        decoded,
        signature: { kind: 'unverified', signed: header !== undefined },
        answer: { status: 200, body: { received: true, verified: false, stored: false } },
        store: () => 'not-stored',
        poisonedKey: null,
      }
    }
    const check = await verifyWebhookSignature(bytes, header, this.#webhooks.secret)
    const signature = signatureVerdictOf(check, this.settings.secrets.length)
    const outcome = await receiveWebhook(head, { kind: 'bytes', bytes }, this.#webhooks)
    const answer = {
      status: outcome.status,
      body: outcome.body,
      close: outcome.headers.connection === 'close',
    }
    if (!check.valid) {
      return {
        as: 'webhook',
        decoded: parseWebhookEvent(bytes),
        signature,
        answer,
        store: () => 'not-stored',
        poisonedKey: null,
      }
    }
    const decoded: Either<DecodeFailure, WebhookEvent> | null =
      outcome.event !== null
        ? { _tag: 'Right', right: outcome.event }
        : outcome.failure !== null
          ? { _tag: 'Left', left: outcome.failure }
          : parseWebhookEvent(bytes)
    const poisonedKey = decoded._tag === 'Left' ? await poisonedEventKey(bytes) : null
    return {
      as: 'webhook',
      decoded,
      signature,
      answer,
      poisonedKey,
      store: (key) => {
        if (outcome.status >= 500) return 'store-failed'
        if (outcome.status !== 200) return 'not-stored'
        const inserted = key === null ? undefined : this.#appended.get(key)
        if (key !== null) this.#appended.delete(key)
        if (decoded._tag === 'Left') return inserted === false ? 'already-stored' : 'poisoned'
        return inserted === false ? 'already-stored' : 'stored'
      },
    }
  }

  async #postHook(
    head: { method: string; url: string; headers: IncomingMessage['headers']; request: IncomingMessage },
    bytes: Uint8Array,
  ): Promise<Checked> {
    const token = this.settings.token
    if (token !== null && !tokenInUrl(head.url, new TextEncoder().encode(token))) {
      const given = /[?&]token=/.test(head.url) || /^\/hook\/[^/?#]+/.test(head.url)
      return {
        as: 'conversation',
        decoded: parseConversation(bytes),
        signature: { kind: 'token-wrong', given },
        answer: { status: 401, body: { error: 'Unauthorized: missing or wrong token' } },
        store: () => 'not-an-event',
        poisonedKey: null,
      }
    }
    const outcome = await receiveBody(head, { kind: 'bytes', bytes }, this.#hook)
    const decoded: Either<DecodeFailure, PostHookConversation> =
      outcome.conversation !== null
        ? { _tag: 'Right', right: outcome.conversation }
        : outcome.failure !== null
          ? { _tag: 'Left', left: outcome.failure }
          : parseConversation(bytes)
    return {
      as: 'conversation',
      decoded,
      signature: token === null ? { kind: 'token-not-required' } : { kind: 'token-valid' },
      answer: { status: outcome.status, body: outcome.body },
      store: () => 'not-an-event',
      poisonedKey: null,
    }
  }
}

/** What one receiver made of a body. */
interface Checked {
  readonly as: 'webhook' | 'conversation'
  readonly decoded: Either<DecodeFailure, WebhookEvent | PostHookConversation> | null
  readonly signature: SignatureVerdict
  readonly answer: Answer
  readonly store: (key: string | null) => StoreOutcome
  readonly poisonedKey: string | null
}

/** A POST to another path: decoded as what it looks like, for the page, and answered 404. */
function otherPath(bytes: Uint8Array): Checked {
  const as = bodyKindOf(bytes)
  return {
    as,
    decoded: as === 'webhook' ? parseWebhookEvent(bytes) : parseConversation(bytes),
    signature: { kind: 'unverified', signed: false },
    answer: {
      status: 404,
      body: {
        error: 'Not a receiver: POST webhooks to /webhooks/smartsupp and POST hook conversations to /hook',
      },
    },
    store: () => 'not-an-event',
    poisonedKey: null,
  }
}

/** The `event` field of a body that did not decode, when it is JSON with a string there (for the list's filter). */
function eventNameOf(bytes: Uint8Array): string | null {
  if (bytes.length > 1_048_576) return null
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
    const event = (value as { event?: unknown } | null)?.event
    return typeof event === 'string' && event.length <= 200 ? event : null
  } catch {
    return null
  }
}

/** The start of a kept body's file name, as `listen --out` names them: arrival time and number, so names sort by arrival. */
export function fileStamp(time: Date, seq: number): string {
  return `${time.toISOString().replace(/[:.]/g, '-')}-${String(seq).padStart(4, '0')}`
}

/** The rest of the name, as `listen --out` writes it: `unsigned-`/`bad-signature-`, then what the body held. */
function fileNameOf(
  signature: SignatureVerdict,
  decode: DecodeVerdict,
  summary: ReturnType<typeof webhookEventSummary> | null,
  conversation: PostHookConversation | null,
): string {
  const flag =
    signature.kind === 'missing'
      ? 'unsigned-'
      : signature.kind === 'malformed' || signature.kind === 'mismatch' || signature.kind === 'not_raw_body'
        ? 'bad-signature-'
        : signature.kind === 'token-wrong'
          ? 'wrong-token-'
          : ''
  if (decode.kind !== 'decoded') return `${flag}undecodable`
  if (summary !== null) {
    const id = summary.conversationId ?? null
    return `${flag}webhook-${fileSafe(summary.event)}${id === null ? '' : `-${fileSafe(id)}`}`
  }
  return `${flag}conversation-${fileSafe(conversation?.id ?? 'unknown')}`
}

/** The terminal's line for a delivery: number, time, what it was, and its verdicts. */
function deliveryLine(e: JournalEntry, out: TerminalStyle): string {
  const what = [
    `#${e.seq}`,
    e.format === 'other-path' ? `POST ${e.path}` : e.format === 'webhook' ? 'webhook' : 'POST hook',
    e.event ?? '',
    e.conversationId === null ? '' : `conversation ${e.conversationId}`,
  ]
    .filter((p) => p !== '')
    .join(' ')
  const verdicts: string[] = []
  const s = e.signature
  if (s.kind === 'valid')
    verdicts.push(out.green(s.secretCount > 1 ? `signed (secret ${s.secretIndex + 1})` : 'signed'))
  else if (s.kind === 'missing') verdicts.push(out.red('UNSIGNED'))
  else if (s.kind === 'malformed' || s.kind === 'mismatch') verdicts.push(out.red('BAD SIGNATURE'))
  else if (s.kind === 'not_raw_body') verdicts.push(out.red('NOT THE RAW BODY'))
  else if (s.kind === 'token-wrong') verdicts.push(out.red('WRONG TOKEN'))
  else if (s.kind === 'unverified' && e.format === 'webhook') verdicts.push('not verified (no --secret)')
  const d = e.decode
  if (d.kind === 'decoded')
    verdicts.push(d.warningCount === 0 ? 'decoded' : `decoded, ${plural(d.warningCount, 'warning')}`)
  else if (d.kind === 'invalid') verdicts.push(out.red(`INVALID ${d.issues[0]?.path ?? ''}`.trim()))
  else
    verdicts.push(
      out.red(d.reason === 'too-large' ? 'TOO LARGE' : d.reason === 'no-room' ? 'NO ROOM' : 'CUT OFF'),
    )
  if (e.duplicateOf !== null) verdicts.push(out.yellow(`duplicate of #${e.duplicateOf}`))
  return `${out.dim(e.receivedAt.slice(11, 19))} ${displayLine(what)}: ${verdicts.join(', ')} → ${e.status}`
}
