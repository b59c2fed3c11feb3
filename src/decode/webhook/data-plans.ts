import { WEBHOOK_EVENT_DATA } from '../../codecs/webhook/webhook-event.js'
import { PLANS_FINISHED } from './plan-finishers.js'
import { type Plan, planOf } from './read-plan.js'

if (!PLANS_FINISHED) throw new Error('smartsupp-hook: webhook plans not finished')

/** The plan of each known event's `data`, by event name (no prototype: any name is a safe key). */
export const DATA_PLANS: Readonly<Record<string, Plan>> = Object.create(null)
for (const name of Object.keys(WEBHOOK_EVENT_DATA)) {
  ;(DATA_PLANS as Record<string, Plan>)[name] = planOf(
    WEBHOOK_EVENT_DATA[name as keyof typeof WEBHOOK_EVENT_DATA],
  )
}
