/** The visitor who wrote a message; `key` is the part after `visitor:` in `messages[].from`. */
export interface VisitorSender {
  readonly kind: 'visitor'
  readonly key: string
}

/** A human agent, by the id in `"agent:<id>"` (POST hook) or `agent_id` (webhooks), as a string. */
export interface AgentSender {
  readonly kind: 'agent'
  readonly id: string
}

/** Smartsupp itself (`"system"`): triggers and events such as the visitor closing the chat. */
export interface SystemSender {
  readonly kind: 'system'
}

/** Who sent a message, parsed from `messages[].from`. */
export type Sender = VisitorSender | AgentSender | SystemSender

/** The one system sender; shared because it carries no data. */
export const SYSTEM_SENDER: SystemSender = Object.freeze({ kind: 'system' })

/** Writes a sender back in the current wire form of `messages[].from`. */
export function formatSender(sender: Sender): string {
  switch (sender.kind) {
    case 'visitor':
      return `visitor:${sender.key}`
    case 'agent':
      return `agent:${sender.id}`
    case 'system':
      return 'system'
  }
}
