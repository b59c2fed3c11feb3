import { type CanActivate, type ExecutionContext, UnauthorizedException } from '@nestjs/common'
import { tokenInUrl } from '../../receive/token-in-url.js'

/** Options of `SmartsuppTokenGuard`. */
export interface SmartsuppTokenGuardOptions {
  /** The secret the customer put into the hook URL, as `?token=` or as a path segment. */
  readonly token: string
}

/**
 * A Nest guard that lets a request through only when its URL carries the secret (`?token=` or a
 * path segment), compared in constant time; otherwise 401 `{ statusCode, error }`, before any pipe runs.
 */
export class SmartsuppTokenGuard implements CanActivate {
  readonly #token: Uint8Array

  constructor(options: SmartsuppTokenGuardOptions) {
    if (typeof options?.token !== 'string' || options.token === '') {
      throw new TypeError('smartsupp-hook: SmartsuppTokenGuard needs { token: a non-empty string }')
    }
    this.#token = new TextEncoder().encode(options.token)
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ originalUrl?: string; url?: string }>()
    const url = req.originalUrl ?? req.url ?? ''
    if (tokenInUrl(url, this.#token)) return true
    throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized: missing or wrong token' })
  }
}
