import { WEBHOOK_EVENT_DATA } from '../../codecs/webhook/webhook-event.js'
import { type Plan, planOf } from './read-plan.js'
// The finishers (the fields a model combines) are registered by the event reader.
import './read-webhook-event.js'

/** The plan of each known event's `data`, by event name (no prototype: any name is a safe key). */
export const DATA_PLANS: Readonly<Record<string, Plan>> = Object.create(null)
for (const name of Object.keys(WEBHOOK_EVENT_DATA)) {
  ;(DATA_PLANS as Record<string, Plan>)[name] = planOf(
    WEBHOOK_EVENT_DATA[name as keyof typeof WEBHOOK_EVENT_DATA],
  )
}
