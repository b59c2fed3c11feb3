import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// `npm run bench` starts Node without --expose-gc; this turns the flag on and takes V8's `gc`
// from a fresh context, so the bench needs no launcher.
setFlagsFromString('--expose-gc')

/** A full garbage collection, so every sample starts from the same heap. */
export const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void)
