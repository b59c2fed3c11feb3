// The webhook handler of docs/webhooks.md, exactly as written there (readme-example.test.ts checks it).
import { isHumanReply, parseWebhookEvent, verifyWebhookSignature, webhookEventKey } from 'smartsupp-hook'

// `body` must be the exact bytes received (a Buffer or Uint8Array, or the text of exactly them).
export async function handleWebhook(body: Uint8Array, signature: string | undefined): Promise<number> {
  const check = await verifyWebhookSignature(body, signature, [process.env.SMARTSUPP_SECRET ?? ''])
  if (!check.valid) return 401 // check.reason: 'missing' | 'malformed' | 'mismatch' | 'not_raw_body'

  const result = parseWebhookEvent(body)
  if (result._tag === 'Left') return 400 // result.left.message, result.left.issues
  const event = result.right
  if (await alreadyHandled(webhookEventKey(event))) return 200

  if (!event.known) {
    // visitor.*, app.* or a future event: accepted, with `event.event` and `event.data` as sent.
    return 200
  }
  switch (event.event) {
    case 'conversation.contact_replied':
    case 'conversation.agent_replied':
      if (isHumanReply(event)) console.log(event.data.message?.sender, event.data.message?.text)
      break
    case 'conversation.rated':
      console.log(event.data.rating) // { value: 5, comment: '…' } | null
      break
    case 'conversation.closed':
      console.log(event.data.conversation?.finishedAt, event.data.closeType)
      break
  }
  return 200
}
declare function alreadyHandled(key: string): Promise<boolean>
