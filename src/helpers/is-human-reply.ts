import type { WebhookEvent, WebhookEventOf, WebhookMessage } from '../model/webhook-event.js'

/**
 * A reply a person wrote: an `agent_replied` or `contact_replied` event whose `message` is there.
 * Narrower than those events, so a `false` from `isHumanReply` removes nothing from a union
 * (a bot-sent `contact_replied` is still a `contact_replied`).
 */
export type HumanReply = WebhookEventOf<'conversation.agent_replied' | 'conversation.contact_replied'> & {
  readonly data: { readonly message: WebhookMessage }
}

/**
 * Whether an event is a message a person wrote to the other side: `conversation.agent_replied` or
 * `conversation.contact_replied` whose message is not an internal note (`type: "note"`) and not
 * sent by a bot, a trigger or the system (`sub_type`). Bot replies, deliveries and all other
 * events are not.
 */
export function isHumanReply(event: WebhookEvent): event is HumanReply {
  if (!event.known) return false
  if (event.event !== 'conversation.agent_replied' && event.event !== 'conversation.contact_replied')
    return false
  const message = event.data.message
  if (message === null || message.type === 'note') return false
  const sub = message.subType
  return sub !== 'bot' && sub !== 'trigger' && sub !== 'system'
}
