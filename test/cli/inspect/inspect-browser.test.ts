// The inspect page in a real headless Chromium (Debian's, driven by playwright-core) against a real
// `smartsupp-hook inspect` process receiving real HTTP deliveries. Screenshots go to
// test/.screenshots/ (git-ignored); UPDATE_DOCS_SCREENSHOTS=1 also writes the two in docs/images/.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_MISSING, hasBrowser, launchBrowser } from '../../support/browser.js'
import { pageBuilt, type RunningInspect, startInspect } from './inspect-process.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))
const shots = join(root, 'test', '.screenshots')
const SECRET = 'inspect-browser-secret'
/** How long the page may take to show something (a bound for a hang on a busy machine, not a measure). */
const WAIT = { timeout: 20_000, interval: 50 }

if (!hasBrowser) {
  if (process.env.CI !== undefined && process.env.CI !== '') {
    it('has a browser for the page tests', () => {
      throw new Error(BROWSER_MISSING)
    })
  } else {
    process.stderr.write(`skipping the inspect page tests: ${BROWSER_MISSING}\n`)
  }
}

const HOSTILE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2; alert('pwned')">`

async function post(url: string, body: string, secret: string | null, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { 'content-type': 'application/json', ...headers }
  if (secret !== null) h[WEBHOOK_SIGNATURE_HEADER] = await signWebhookBody(body, secret)
  return (await fetch(url, { method: 'POST', body, headers: h })).status
}

/** A row's chip text for one verdict (`signature`, `decode`, `duplicate`). */
function chipOf(page: Page, seq: number, verdict: string) {
  return page.locator(`.delivery-row[data-seq="${seq}"] [data-verdict="${verdict}"]`)
}

describe.skipIf(!hasBrowser)('the inspect page in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let inspect: RunningInspect
  const dialogs: string[] = []
  const errors: string[] = []
  const requested: string[] = []

  const conversation = webhookConversation({ id: 'conv-7781', contactName: 'Jana Nováková' })
    .opened()
    .contactReplied('Hi, my order 1234 has not arrived yet.')
    .agentReplied(
      { id: '11', name: 'Petr Svoboda' },
      'Sorry about that! It left our warehouse this morning.',
      { after: 42_000 },
    )
    .contactReplied('Great, thank you.')
    .closed()
    .build()
    .map((e) => JSON.stringify(e))
  const [opened, asked, answered, thanked, closed] = conversation as [string, string, string, string, string]

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    await pageBuilt()
    inspect = await startInspect(['--secret', SECRET, '--store', 'memory', '--settle-ms', '5000'])
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1360, height: 820 }, colorScheme: 'light' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inspect.base })
    page = await context.newPage()
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('request', (r) => requested.push(r.url()))
  })

  afterAll(async () => {
    await browser?.close()
    await inspect?.stop()
  })

  it('shows deliveries live with their verdicts in words: signed, forged, invalid, re-delivered; keyboard and filters work', async () => {
    const started = Date.now()
    await page.goto(inspect.pageUrl)
    await page.locator('.live.on').waitFor()
    await page.locator('.waiting').waitFor()
    const loadMs = Date.now() - started
    process.stdout.write(`inspect page: loaded and live in ${loadMs} ms\n`)

    const hook = `${inspect.base}/webhooks/smartsupp`
    expect(await post(hook, opened, SECRET)).toBe(200)
    await expect.poll(() => chipOf(page, 1, 'signature').textContent(), WAIT).toBe('Signed')
    expect(await chipOf(page, 1, 'decode').textContent()).toBe('Decoded')

    expect(await post(hook, asked, 'a-guess')).toBe(401)
    await expect.poll(() => chipOf(page, 2, 'signature').textContent(), WAIT).toBe('Forged or wrong secret')
    expect(await page.locator('.delivery-row[data-seq="2"] .status').textContent()).toBe('401')

    const { event: _e, ...withoutEvent } = JSON.parse(answered) as Record<string, unknown>
    expect(await post(hook, JSON.stringify(withoutEvent), SECRET)).toBe(200)
    await expect.poll(() => chipOf(page, 3, 'decode').textContent(), WAIT).toBe('Invalid at event')

    expect(await post(hook, opened, SECRET)).toBe(200)
    await expect.poll(() => chipOf(page, 4, 'duplicate').textContent(), WAIT).toBe('Re-delivery of #1')
    expect(await chipOf(page, 1, 'duplicate').count()).toBe(0)

    // Four verdicts, four different sentences a person can act on.
    const words = await Promise.all([
      chipOf(page, 1, 'signature').getAttribute('title'),
      chipOf(page, 2, 'signature').getAttribute('title'),
      chipOf(page, 3, 'decode').getAttribute('title'),
      chipOf(page, 4, 'duplicate').getAttribute('title'),
    ])
    expect(words[0]).toContain('matches your secret: Smartsupp sent this body')
    expect(words[1]).toContain("someone else sent it, the secret is not the app's, or the body was changed")
    expect(words[2]).toContain('event: expected')
    expect(words[3]).toContain('Smartsupp delivered it again; it counts once')

    // Keyboard: ↓ from nothing selects the newest; j and k move; Escape closes.
    await page.locator('body').press('ArrowDown')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries/4')
    await page.keyboard.press('j')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries/3')
    // The hash moves first; the detail follows once its delivery is loaded.
    await expect.poll(() => page.locator('.detail h2').textContent(), WAIT).toContain('#3')
    await page.keyboard.press('k')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries/4')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries')
    await page.keyboard.press('2')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/conversations')
    await page.keyboard.press('1')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries')
    // Keys faster than the page's hashchange: each moves from where the one before went.
    await page.evaluate(() => {
      for (const key of ['ArrowDown', 'j', 'j', 'k'])
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
    })
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries/3')
    await expect.poll(() => page.locator('.detail h2').textContent(), WAIT).toContain('#3')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/deliveries')

    // Filters: by verdict, by event, by conversation.
    await page.selectOption('.filter-verdict', 'refused')
    await expect.poll(() => page.locator('.delivery-row').count(), WAIT).toBe(1)
    expect(await page.locator('.delivery-row').getAttribute('data-seq')).toBe('2')
    await page.selectOption('.filter-verdict', 'all')
    await page.selectOption('.filter-event', 'conversation.opened')
    await expect.poll(() => page.locator('.delivery-row').count(), WAIT).toBe(2)
    await page.selectOption('.filter-event', '')
    await page.keyboard.press('/')
    await page.keyboard.type('no-such-conversation')
    await expect.poll(() => page.locator('.delivery-row').count(), WAIT).toBe(0)
    await page.fill('.filter-conversation', 'conv-7781')
    await expect.poll(() => page.locator('.delivery-row').count(), WAIT).toBe(3)
    await page.fill('.filter-conversation', '')
    await page.keyboard.press('Escape')
  })

  it('highlights the issue at its path in the JSON tree', async () => {
    await page.locator('.delivery-row[data-seq="3"]').click()
    const missing = page.locator('.tree .node.has-issue[data-path="event"]')
    await missing.waitFor()
    expect(await missing.textContent()).toContain('not there')
    expect(await missing.locator('.note.error').textContent()).toMatch(/^expected .*found nothing/)
    expect(await page.locator('[data-card="Decoding"] .chip').textContent()).toBe('Invalid at event')
    expect(await page.locator('[data-card="Store"] .chip').textContent()).toBe('Kept as poisoned')
  })

  it('renders every text of a hostile delivery as text: nothing executes', async () => {
    const hook = `${inspect.base}/webhooks/smartsupp`
    const hostile = webhookConversation({ id: `conv-${HOSTILE}`, contactName: HOSTILE })
      .opened()
      .contactReplied(HOSTILE)
      .build()[1]
    const body = JSON.stringify({ ...(hostile as object), [HOSTILE]: HOSTILE })
    expect(await post(hook, body, SECRET, { 'x-note': HOSTILE })).toBe(200)
    await chipOf(page, 5, 'signature').waitFor()
    await page.locator('.delivery-row[data-seq="5"]').click()
    await page.locator('.detail[data-seq="5"] .tree').waitFor()
    for (const tab of ['Tree', 'Raw body', 'Model', 'Headers', 'Answer']) {
      await page.locator(`.tabs [data-tab="${tab}"]`).click()
      // Unfold the whole tree, so every text in it is on the page.
      for (let depth = 0; depth < 6; depth++) {
        await page.locator('.tab-panel .toggle:not([disabled])', { hasText: '▸' }).evaluateAll((buttons) => {
          for (const b of buttons) (b as HTMLButtonElement).click()
        })
      }
      if (tab !== 'Answer')
        expect(await page.locator('.tab-panel').textContent()).toContain(
          '<script>window.__pwned = 1</script>',
        )
    }
    await page.locator('a.link-button').click()
    await page.locator('.conversation-detail').waitFor()
    expect(await page.locator('.transcript').textContent()).toContain(HOSTILE)
    await page.goto(`${inspect.pageUrl}#/overview`)
    await page.locator('.charts').waitFor()
    // A hand-typed address that is not valid percent-encoding opens as the text it is; nothing throws.
    await page.goto(`${inspect.pageUrl}#/conversations/webhooks/%E0`)
    await page.locator('.conversation-detail[data-id="%E0"]').waitFor()
    await page.goto(`${inspect.pageUrl}#/deliveries/5`)
    await page.locator('.detail[data-seq="5"]').waitFor()
    expect(await page.locator('.delivery-row[data-seq="5"] .what .sub').textContent()).toContain(HOSTILE)
    const executed = await page.evaluate(() => ({
      pwned: (window as { __pwned?: unknown }).__pwned,
      images: document.querySelectorAll('img').length,
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    }))
    expect(executed).toEqual({ pwned: undefined, images: 0, inlineScripts: 0, handlers: 0 })
    // Nothing was fetched from anywhere but the inspector (no CDN, no image from a body).
    expect(requested.filter((u) => !u.startsWith(`${inspect.base}/`))).toEqual([])
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
  })

  it('replays a delivery to a URL re-signed, and copy as curl gives a command that sends one that verifies', async () => {
    await page.goto(`${inspect.pageUrl}#/deliveries/1`)
    await page.locator('.detail[data-seq="1"] .actions').waitFor()
    expect(await page.inputValue('.replay-url')).toBe(`${inspect.base}/webhooks/smartsupp`)
    await page.locator('button.replay').click()
    await expect
      .poll(() => page.locator('.action-result').textContent(), WAIT)
      .toContain('signed, answered 200')
    await expect.poll(() => chipOf(page, 6, 'signature').textContent(), WAIT).toBe('Signed')
    expect(await chipOf(page, 6, 'duplicate').textContent()).toBe('Re-delivery of #1')

    await page.locator('button.curl').click()
    const command = await page.locator('.curl-command').textContent()
    expect(command).toMatch(/^printf '%s' '.*' \| curl -sS -X POST /s)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command)
    await run('sh', ['-c', command as string])
    await expect.poll(() => chipOf(page, 7, 'signature').textContent(), WAIT).toBe('Signed')
    expect(await chipOf(page, 7, 'duplicate').textContent()).toBe('Re-delivery of #1')

    // A forged delivery is not re-signed unless asked by name.
    await page.goto(`${inspect.pageUrl}#/deliveries/2`)
    await page.locator('.detail[data-seq="2"] .actions').waitFor()
    expect(await page.locator('.sign-anyway-label').isVisible()).toBe(true)
    await page.locator('button.replay').click()
    await expect
      .poll(() => page.locator('.action-result').textContent())
      .toContain('was not signed with your secret')
    const download = page.waitForEvent('download')
    await page.locator('a.download').click()
    expect((await download).suggestedFilename()).toBe('delivery-2.json')
  })

  it('shows a conversation on its timeline, pending with a settle countdown, then exported, with its assembled transcript', async () => {
    const hook = `${inspect.base}/webhooks/smartsupp`
    // The question, signed this time; the answer arrives late, after the thanks that came after it.
    for (const body of [asked, thanked, answered]) expect(await post(hook, body, SECRET)).toBe(200)
    await page.goto(`${inspect.pageUrl}#/conversations/webhooks/conv-7781`)
    const state = page.locator('.conversation-detail .state-line [data-state]')
    await expect.poll(() => state.getAttribute('data-state'), WAIT).toBe('open')
    expect(await post(hook, closed, SECRET)).toBe(200)
    await expect.poll(() => state.getAttribute('data-state'), WAIT).toBe('pending')
    expect(await state.textContent()).toBe('Pending')
    await expect
      .poll(() => page.locator('.conversation-detail .countdown').textContent())
      .toMatch(/^exports in \d/)
    await page.locator('.timeline-list li').first().waitFor()
    expect(await page.locator('.timeline-list li.late').count()).toBe(1)
    expect(await page.locator('.timeline-list li.refused').textContent()).toContain('contact replied')
    expect(await page.locator('.timeline-list').textContent()).toContain('delivered 4× (#1, #4, #6, #7)')
    await page.screenshot({ path: join(shots, 'inspect-conversation-pending.png') })

    await expect
      .poll(() => state.getAttribute('data-state'), { timeout: 60_000, interval: 100 })
      .toBe('exported')
    expect(await state.textContent()).toBe('Exported')
    await page.locator('.transcript .message.agent').waitFor()
    expect(await page.locator('.transcript .message.agent .bubble').textContent()).toBe(
      'Sorry about that! It left our warehouse this morning.',
    )
    expect(await page.locator('.exports').textContent()).toContain('4 messages, closed, attempt 1')
    expect(await page.locator('[data-field="state"]').textContent()).toBe('Exported (exported)')
    // Answered, then the visitor's thanks last: a chat, not missed (Smartsupp's documented example).
    expect(await page.locator('.conversation-detail .detail-head .meta').textContent()).toBe(
      'conversation conv-7781 · from webhook events · chat',
    )
    await page.locator('.assembled .transcript').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(shots, 'inspect-conversation-transcript.png') })
    await page.goto(`${inspect.pageUrl}#/overview`)
    // The overview shown before is redrawn once its figures come.
    await expect.poll(() => page.locator('.kpis').textContent(), WAIT).toContain('42 s')
    await page.screenshot({ path: join(shots, 'inspect-overview.png') })
  })

  it('takes the screenshots of the deliveries list and a conversation', async () => {
    await page.goto(`${inspect.pageUrl}#/deliveries/3`)
    await page.locator('.detail[data-seq="3"] .tree .has-issue').waitFor()
    await page.screenshot({ path: join(shots, 'inspect-deliveries.png') })
    await page.goto(`${inspect.pageUrl}#/conversations/webhooks/conv-7781`)
    await page.locator('.conversation-detail .timeline').waitFor()
    await page.screenshot({ path: join(shots, 'inspect-conversation-timeline.png') })
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      mkdirSync(join(root, 'docs', 'images'), { recursive: true })
      copyFileSync(
        join(shots, 'inspect-deliveries.png'),
        join(root, 'docs', 'images', 'inspect-deliveries.png'),
      )
      copyFileSync(
        join(shots, 'inspect-conversation-timeline.png'),
        join(root, 'docs', 'images', 'inspect-conversation.png'),
      )
    }
    expect(errors).toEqual([])
  })

  it('with --token, the page needs it: without it the inspector answers 401 and shows nothing', async () => {
    const guarded = await startInspect(['--secret', SECRET, '--store', 'memory', '--token', 'page-token-1'])
    try {
      const other = await context.newPage()
      const refused = await other.goto(`${guarded.base}/`)
      expect(refused?.status()).toBe(401)
      expect(await other.textContent('body')).toContain('this inspector needs its token')
      const ok = await other.goto(guarded.pageUrl)
      expect(ok?.status()).toBe(200)
      await other.locator('.live.on').waitFor()
      expect(await other.locator('.waiting').textContent()).toContain('Waiting for deliveries')
      await other.close()
    } finally {
      await guarded.stop()
    }
  })
})
