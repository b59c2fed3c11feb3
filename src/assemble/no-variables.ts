import type { VisitorVariable } from '../model/conversation.js'

/**
 * Stands for `variables` told as an object with no scalar in it (internal): shared by every event
 * that tells it so, instead of an empty object each; the assembled visitor gets a fresh one.
 */
export const NO_VARIABLES: Readonly<Record<string, VisitorVariable>> = Object.freeze(
  Object.create(null) as Record<string, VisitorVariable>,
)
