import { documentedExampleBytes } from '../../support/payloads.js'

/** The documented example's exact bytes as a plain `Uint8Array` (what `fetch` accepts as a body). */
export const exampleBody: Uint8Array<ArrayBuffer> = new Uint8Array(documentedExampleBytes)
