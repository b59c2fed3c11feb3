import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** The system Chromium the page tests drive (Debian's `chromium`); `SMARTSUPP_TEST_CHROMIUM` names another. */
export const CHROMIUM_PATH = process.env.SMARTSUPP_TEST_CHROMIUM ?? '/usr/bin/chromium'

/** Whether the browser is installed. In CI its absence fails the page tests; elsewhere they are skipped, saying so. */
export const hasBrowser = existsSync(CHROMIUM_PATH)

/** What to do when it is missing. */
export const BROWSER_MISSING = `no Chromium at ${CHROMIUM_PATH}: install it (apt-get update && apt-get install -y chromium; .ci/run does this) or set SMARTSUPP_TEST_CHROMIUM to a Chromium or Chrome binary`

/** Starts the system Chromium headless, as root-safe and as quiet on the network as it can be (no downloads: playwright-core only drives it). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No --user-data-dir: playwright gives every launch a fresh one of its own.
    ],
  })
}
