import type { DeliverySummary, InspectSession } from '../inspect-api-types.js'

/** What the page knows, shared by its views. */
export interface AppState {
  session: InspectSession
  /** Newest first. */
  deliveries: DeliverySummary[]
  /** Server time minus this browser's, in ms, so countdowns follow the inspector's clock. */
  clockOffsetMs: number
  live: boolean
}

/** The inspector's clock now, in ms. */
export function serverNow(state: AppState): number {
  return Date.now() + state.clockOffsetMs
}
