import type { ServerResponse } from 'node:http'
import type { ReceiveOutcome } from '../receive/receive-outcome.js'

/** Writes an outcome to a Node (or Express) response as JSON; does nothing once the response is gone. */
export function sendNodeResponse(
  res: ServerResponse,
  outcome: Pick<ReceiveOutcome, 'status' | 'headers' | 'body'>,
): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return
  res.statusCode = outcome.status
  for (const name in outcome.headers) res.setHeader(name, outcome.headers[name] as string)
  res.end(JSON.stringify(outcome.body))
}
