import { rejection } from './receive-outcome.js'
import type { RefusedOutcome } from './refusal.js'
import { SmartsuppRefusedError } from './smartsupp-refused-error.js'

/** How long ago, in words: seconds, minutes, hours or days. */
function ageText(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`
  return `${Math.round(ms / 86_400_000)} days`
}

/**
 * 403 for an authentic webhook whose `timestamp` is older than `maxEventAgeMs`: no callback runs
 * and nothing is stored; `onError` gets a `SmartsuppRefusedError` (`too_old`) saying why this may
 * be a legitimate late re-delivery, with the exact bytes in `context.rawBody` so it can be kept.
 */
export function tooOld(
  timestamp: Date,
  ageMs: number,
  maxEventAgeMs: number,
  bodyBytes: number,
  event: string | null,
): RefusedOutcome {
  const what =
    event === null
      ? 'an authentic webhook body that did not decode'
      : `an authentic ${JSON.stringify(event)} webhook`
  const message = `smartsupp-hook: ${what} (${bodyBytes} bytes) was answered 403 and reached no other callback: its timestamp ${timestamp.toISOString()} is ${ageText(ageMs)} old, over maxEventAgeMs (${maxEventAgeMs} ms). Smartsupp's timestamp is when the event happened and a re-delivery keeps it, so this may be a legitimate late re-delivery (refused the same way each time it comes) as well as a replay of a captured one; context.rawBody holds its exact bytes. Fix: keep those bytes if you want the event; raise maxEventAgeMs, or leave it out, if late re-deliveries are expected.`
  return {
    ...rejection(403, 'Forbidden: the event is older than this receiver accepts (option maxEventAgeMs)'),
    refusal: new SmartsuppRefusedError(
      {
        status: 403,
        reason: 'too_old',
        refusedBy: 'receiver',
        bodyBytes,
        limitBytes: null,
        eventTimestamp: timestamp,
      },
      message,
    ),
  }
}
