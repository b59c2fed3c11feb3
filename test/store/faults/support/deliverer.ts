// A Smartsupp-like deliverer: POSTs each signed event to one of the live receivers (as a load
// balancer picks), `concurrency` at a time, and re-delivers every answer that is not 200 (a 5xx,
// a refused or cut connection, no answer within `requestTimeoutMs`) after a growing delay, until
// each one was answered 200. It logs every try, so a test can tell what was acknowledged and how
// long the answers took.
import { WEBHOOK_SIGNATURE_HEADER } from '../../../../src/receive/verify-webhook-signature.js'
import { seededRandom } from '../../../support/seeded-random.js'
import type { Delivery } from './fault-conversations.js'

/** One try of one delivery. */
export interface DeliveryTry {
  readonly delivery: Delivery
  readonly url: string | null
  readonly startedAt: number
  readonly answeredAt: number
  /** The HTTP status; `null` when no answer came (refused, cut, or `requestTimeoutMs`). */
  readonly status: number | null
  readonly error?: string
}

export interface DelivererOptions {
  /** The receivers to try now (re-read for every try). */
  readonly targets: () => readonly string[]
  readonly concurrency?: number
  /**
   * Re-delivery delays: `baseMs * 2^(failures-1)`, at most `maxMs`, times a random factor in
   * [0.5, 1.5) (so re-deliveries scatter, and a late message may land after its conversation's
   * close was exported, as Smartsupp's do). Default 100 ms … 2 s.
   */
  readonly baseMs?: number
  readonly maxMs?: number
  /** A try with no answer by then is given up and re-delivered. Default 60 s. */
  readonly requestTimeoutMs?: number
  /** Fail (reject) if some delivery was still not answered 200 by then. Default 150 s. */
  readonly deadlineMs?: number
  /** Seeds the re-delivery delays' randomness. Default 17. */
  readonly seed?: number
  /** Called after each try (the scenario's fault trigger). */
  readonly onTry?: (attempt: DeliveryTry, log: DeliveryLog) => void
}

/** What a run did, for the assertions and the report. */
export interface DeliveryLog {
  readonly tries: DeliveryTry[]
  /** Deliveries answered 200 at least once. */
  readonly acknowledged: Set<Delivery>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Delivers every one of `deliveries`, re-delivering until each is answered 200. */
export async function deliverAll(
  deliveries: readonly Delivery[],
  options: DelivererOptions,
  log: DeliveryLog = { tries: [], acknowledged: new Set() },
): Promise<DeliveryLog> {
  const concurrency = options.concurrency ?? 8
  const baseMs = options.baseMs ?? 100
  const maxMs = options.maxMs ?? 2000
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const deadline = Date.now() + (options.deadlineMs ?? 150_000)
  const random = seededRandom(options.seed ?? 17)
  let next = 0
  let turn = 0
  const one = async (delivery: Delivery) => {
    for (let failures = 0; ; failures++) {
      if (failures > 0) await sleep(Math.min(maxMs, baseMs * 2 ** (failures - 1)) * (0.5 + random()))
      if (Date.now() > deadline) {
        throw new Error(
          `a delivery of ${delivery.conversationId} was still not answered 200 after ${failures} tries; last: ${JSON.stringify(log.tries.filter((t) => t.delivery === delivery).at(-1))}`,
        )
      }
      const targets = options.targets()
      const url = targets.length === 0 ? null : (targets[turn++ % targets.length] as string)
      const startedAt = Date.now()
      let status: number | null = null
      let error: string | undefined
      if (url === null) error = 'no receiver alive'
      else {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: delivery.signature },
            body: delivery.body,
            signal: AbortSignal.timeout(requestTimeoutMs),
          })
          await res.arrayBuffer()
          status = res.status
        } catch (e) {
          error = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
        }
      }
      const attempt: DeliveryTry = {
        delivery,
        url,
        startedAt,
        answeredAt: Date.now(),
        status,
        ...(error === undefined ? {} : { error }),
      }
      log.tries.push(attempt)
      if (status === 200) log.acknowledged.add(delivery)
      options.onTry?.(attempt, log)
      if (status === 200) return
    }
  }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) await one(deliveries[next++] as Delivery)
    }),
  )
  return log
}
