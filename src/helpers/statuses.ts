import type { ConversationBase } from '../model/conversation.js'

// Each predicate reads one of Smartsupp's flags (shared spec: channel.is*). A flag that lenient
// decoding could not read is `null` in the model and reads as `false` here.

/**
 * Smartsupp's `isMissed`: the visitor wrote and no agent answered (Smartsupp's documented example;
 * docs/helpers.md says why not the spec table's "the last message"). `null` reads as `false`.
 */
export function isMissed(c: ConversationBase): boolean {
  return c.flags.isMissed === true
}

/** Smartsupp's `isOffline`: the visitor left an offline message. `null` reads as `false`. */
export function isOffline(c: ConversationBase): boolean {
  return c.flags.isOffline === true
}

/** Smartsupp's `isCompleted`: closed, and an agent answered the visitor. `null` reads as `false`. */
export function isCompleted(c: ConversationBase): boolean {
  return c.flags.isCompleted === true
}

/** Smartsupp's `isDropped`: the chat was interrupted. `null` reads as `false`. */
export function isDropped(c: ConversationBase): boolean {
  return c.flags.isDropped === true
}

/** Smartsupp's `isTriggered`: at least one automatic (triggered) message. `null` reads as `false`. */
export function isTriggered(c: ConversationBase): boolean {
  return c.flags.isTriggered === true
}

/** Smartsupp's `isChat`: both the visitor and an agent sent a message. `null` reads as `false`. */
export function isChat(c: ConversationBase): boolean {
  return c.flags.isChat === true
}
