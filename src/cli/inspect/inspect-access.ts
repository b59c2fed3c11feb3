import type { IncomingMessage } from 'node:http'
import { tokenInUrl } from '../../receive/token-in-url.js'
import { tokenMatches } from '../../receive/token-matches.js'

/** The header the page sends its action token in; a cross-site page cannot send it without CORS. */
export const ACTION_TOKEN_HEADER = 'x-inspect-token'

/** Who may use the page and its API. */
export interface AccessRules {
  /** `--token`, or `null` when the page is open to whoever reaches the loopback address. */
  readonly token: Uint8Array | null
  /** What state-changing requests must carry in `x-inspect-token`: `--token`, or a random one per run. */
  readonly actionToken: Uint8Array
  /** Bound to loopback without `--token`: only requests addressed to a loopback name are served. */
  readonly loopbackHostOnly: boolean
}

/** Why a request for the page or the API is refused, or `null` when it may be served. */
export interface Refusal {
  readonly status: number
  readonly error: string
}

// 127.0.0.0/8, localhost and [::1], with any port: a DNS name that resolves to 127.0.0.1 (DNS
// rebinding) arrives with its own name in Host, and is refused.
const LOOPBACK_HOST = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d{1,5})?$/i

/**
 * Checks a request for the page, its assets or its API (never a delivery): its Host must be a
 * loopback name when inspect serves loopback without `--token` (so another site that points its
 * name at 127.0.0.1 reads nothing); a browser's `Sec-Fetch-Site: cross-site` is refused; with
 * `--token`, the request must carry it (`x-inspect-token`, or `?token=` for links and the event
 * stream). `needsToken` is false for the static assets, which hold nothing of any delivery.
 */
export function pageRefusal(req: IncomingMessage, rules: AccessRules, needsToken: boolean): Refusal | null {
  if (rules.loopbackHostOnly && !LOOPBACK_HOST.test(req.headers.host ?? '')) {
    return {
      status: 403,
      error:
        'this inspector serves its page at 127.0.0.1 or localhost only (start it with --host and --token to serve it elsewhere)',
    }
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    return { status: 403, error: 'requests from other sites are refused' }
  }
  if (needsToken && rules.token !== null && !carriesToken(req, rules.token)) {
    return {
      status: 401,
      error: 'this inspector needs its token: open the address it printed (…/?token=…)',
    }
  }
  return null
}

/**
 * Checks a state-changing request (replay, curl): it must carry the action token in
 * `x-inspect-token` (a header no other site's page can add without CORS, which inspect never
 * grants) and, when the browser tells its origin, come from this very host.
 */
export function actionRefusal(req: IncomingMessage, rules: AccessRules): Refusal | null {
  const header = req.headers[ACTION_TOKEN_HEADER]
  if (typeof header !== 'string' || !tokenMatches(header, rules.actionToken)) {
    return {
      status: 403,
      error: `this action needs the ${ACTION_TOKEN_HEADER} header the inspector's page sends`,
    }
  }
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
    return { status: 403, error: 'requests from other origins are refused' }
  }
  return null
}

/**
 * Checks a delivery (a POST to a receiver route, `/webhooks/smartsupp`, `/hook` or another path):
 * a request a browser marks as coming from another site's page (`Sec-Fetch-Site: cross-site` or
 * `same-site`) is refused before it is read or kept. Smartsupp, `send`, `replay`, `curl` and the
 * page's own replay send no such header; without it any web page open in the browser could post
 * form deliveries to the inspector (the POST hook route needs no signature without `--token`).
 */
export function deliveryRefusal(req: IncomingMessage): Refusal | null {
  const site = req.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') {
    return {
      status: 403,
      error: 'deliveries from web pages are refused (this request came from another site, Sec-Fetch-Site)',
    }
  }
  return null
}

function carriesToken(req: IncomingMessage, token: Uint8Array): boolean {
  const header = req.headers[ACTION_TOKEN_HEADER]
  if (typeof header === 'string') return tokenMatches(header, token)
  // Only the query: a page path never ends in the token.
  const url = req.url ?? '/'
  const query = url.indexOf('?')
  return query >= 0 && tokenInUrl(`/${url.slice(query)}`, token)
}
