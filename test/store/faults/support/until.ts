const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `condition` every `everyMs` until it holds; rejects naming `what` after `ms`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  ms = 90_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    let holds = false
    try {
      holds = await condition()
    } catch {
      // The store may be down at that moment: try again.
    }
    if (holds) return
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting until ${typeof what === 'string' ? what : what()}`)
    }
    await sleep(everyMs)
  }
}

export { sleep }
