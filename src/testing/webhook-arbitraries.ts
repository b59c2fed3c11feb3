import type * as FastCheck from 'fast-check'
import { codecNode, documentedPaths } from '../codecs/codec-structure.js'
import {
  type KnownWebhookEventName,
  WEBHOOK_EVENT_DATA,
  WebhookEnvelopePayload,
  WebhookEventPayload,
} from '../codecs/webhook/webhook-event.js'
import { arbitraryContexts, arbitraryOf, type FastCheckModule, mutationsOf } from './payload-arbitraries.js'

/** Options of `webhookEvent`. */
export interface WebhookEventArbitraryOptions {
  /** Only these known event names. Default: every name in `WEBHOOK_EVENT_DATA`. */
  readonly events?: readonly KnownWebhookEventName[]
  /** Add fields the spec does not document to every object (envelope, data, conversation …). Default false. */
  readonly unknownFields?: boolean
}

/** Property-test generators of Smartsupp webhook events, bound to the caller's fast-check. */
export interface WebhookArbitraries {
  /**
   * Known events, walked from the webhook codecs: without unknown fields, strict decoding accepts
   * every one with no warning; with them, lenient decoding does (one warning per unknown key).
   * Values are arbitrary (the ids and times of one event need not agree: the builder's job).
   */
  webhookEvent(options?: WebhookEventArbitraryOptions): FastCheck.Arbitrary<WebhookEventPayload>
  /** Events whose name the spec does not know (`x.<name>`), with any object as `data`: decoding keeps them. */
  unknownWebhookEvent(): FastCheck.Arbitrary<WebhookEnvelopePayload>
  /**
   * A valid event (known or not) with up to three changes at random places: a value replaced by
   * any JSON value, a key removed, or a key added (`__proto__` among them). Most are invalid.
   */
  mutatedWebhookEvent(): FastCheck.Arbitrary<unknown>
}

/** Each known event's codec, by name: the members of `WebhookEventPayload`. */
const EVENT_CODECS = new Map(
  WebhookEventPayload.types.map((codec) => {
    const node = codecNode(codec)
    const event = node.kind === 'object' ? codecNode(node.required.event as never) : undefined
    if (event?.kind !== 'literal') throw new Error(`smartsupp-hook: ${codec.name} has no event literal`)
    return [event.values[0] as KnownWebhookEventName, codec] as const
  }),
)
const KNOWN_NAMES = Object.keys(WEBHOOK_EVENT_DATA) as KnownWebhookEventName[]
/** Every documented key name of the webhook codecs, for mutations. */
const DOCUMENTED_NAMES = [
  ...new Set(documentedPaths(WebhookEventPayload).map((path) => path.slice(path.lastIndexOf('.') + 1))),
].filter((name) => name !== '*' && !name.endsWith('[]'))

/**
 * Builds the webhook arbitraries with a given fast-check module: for a project that must use its
 * own fast-check instance. `smartsupp-hook/testing/arbitraries` exports them built with fast-check.
 */
export function webhookArbitraries(fc: FastCheckModule): WebhookArbitraries {
  const { context, bareKey } = arbitraryContexts(fc)
  // Through JSON text: exactly what JSON.parse gives a receiver (plain objects, no -0).
  const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

  function webhookEvent(
    options: WebhookEventArbitraryOptions = {},
  ): FastCheck.Arbitrary<WebhookEventPayload> {
    const names = options.events ?? KNOWN_NAMES
    if (names.length === 0) throw new TypeError('smartsupp-hook/testing: events must name at least one event')
    const ctx = context([], options.unknownFields === true)
    const members = names.map((name) => {
      const codec = EVENT_CODECS.get(name)
      if (codec === undefined)
        throw new TypeError(`smartsupp-hook/testing: ${JSON.stringify(name)} is not a known event`)
      return arbitraryOf(codec, ctx)
    })
    return fc.oneof(...members).map((e) => asJson(e as WebhookEventPayload))
  }

  function unknownWebhookEvent(): FastCheck.Arbitrary<WebhookEnvelopePayload> {
    const event = bareKey.map((key) => `x.${key}`)
    const data = fc.dictionary(bareKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
    return fc
      .tuple(arbitraryOf(WebhookEnvelopePayload, context([])), event, data)
      .map(([e, name, d]) => asJson({ ...(e as WebhookEnvelopePayload), event: name, data: d }))
  }

  return {
    webhookEvent,
    unknownWebhookEvent,
    mutatedWebhookEvent: () =>
      mutationsOf(fc, fc.oneof(webhookEvent(), unknownWebhookEvent()), DOCUMENTED_NAMES),
  }
}
