/** What signature checking uses of `node:crypto` (internal): synchronous HMAC and a constant-time compare. */
export interface NativeHmac {
  /** The HMAC-SHA256 of `data` keyed with `key`, computed synchronously. */
  readonly sha256: (key: Uint8Array, data: Uint8Array) => Uint8Array
  /** Whether two digests of equal length are equal, in time that does not depend on where they differ. */
  readonly equal: (a: Uint8Array, b: Uint8Array) => boolean
}

interface NodeCryptoSubset {
  createHmac(algorithm: string, key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } }
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean
}

type GetBuiltinModule = (id: string) => unknown

const encoder = new TextEncoder()
/** RFC 4231 test case 2: HMAC-SHA256 of "what do ya want for nothing?" keyed with "Jefe". */
const KNOWN_KEY = 'Jefe'
const KNOWN_DATA = 'what do ya want for nothing?'
const KNOWN_DIGEST = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'

let loaded: NativeHmac | null | undefined

/**
 * Node's own HMAC, when the runtime has it, else `null` (then Web Crypto is used). Reached through
 * `process.getBuiltinModule('node:crypto')` (Node ≥ 20.16 and 22.3, Bun, Deno, Workers
 * with nodejs_compat), never by an import, so `smartsupp-hook/fetch` and `/store` load in runtimes
 * without Node's modules and bundlers see no `node:` import. Checked once against a known digest:
 * a stub that throws or a polyfill that computes something else is not used.
 */
export function nativeHmac(): NativeHmac | null {
  if (loaded === undefined) loaded = loadNativeHmac()
  return loaded
}

function loadNativeHmac(): NativeHmac | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process
    const getBuiltinModule = proc?.getBuiltinModule
    if (typeof getBuiltinModule !== 'function') return null
    const crypto = getBuiltinModule.call(proc, 'node:crypto') as Partial<NodeCryptoSubset> | undefined
    const createHmac = crypto?.createHmac
    const timingSafeEqual = crypto?.timingSafeEqual
    if (typeof createHmac !== 'function' || typeof timingSafeEqual !== 'function') return null
    const native: NativeHmac = {
      sha256: (key, data) => createHmac.call(crypto, 'sha256', key).update(data).digest(),
      equal: (a, b) => a.byteLength === b.byteLength && timingSafeEqual.call(crypto, a, b),
    }
    const digest = native.sha256(encoder.encode(KNOWN_KEY), encoder.encode(KNOWN_DATA))
    let hex = ''
    for (let i = 0; i < digest.length; i++) hex += (digest[i] as number).toString(16).padStart(2, '0')
    const other = Uint8Array.from(digest)
    other[31] = (other[31] as number) ^ 1
    if (hex !== KNOWN_DIGEST || !native.equal(digest, Uint8Array.from(digest)) || native.equal(digest, other))
      return null
    return native
  } catch {
    return null
  }
}
