import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from 'smartsupp-hook'
import { fixtures, webhookConversation } from 'smartsupp-hook/testing'
import { afterAll, describe, expect, it } from 'vitest'
import type {
  ConversationDetail,
  ConversationItem,
  DeliveryDetail,
  DeliverySummary,
  InspectSession,
} from '../../../src/cli/inspect/inspect-api-types.js'
import { eventually, pageBuilt, type RunningInspect, runInspect, startInspect } from './inspect-process.js'

const run = promisify(execFile)
const running: RunningInspect[] = []
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()))
})

async function inspect(args: readonly string[]): Promise<RunningInspect> {
  const r = await startInspect(args)
  running.push(r)
  return r
}

/** POSTs `body` (signed with `secret` when given) and returns the status. */
async function post(
  url: string,
  body: string | Uint8Array,
  secret?: string,
  headers: Record<string, string> = {},
) {
  const h: Record<string, string> = { 'content-type': 'application/json', ...headers }
  if (secret !== undefined) h[WEBHOOK_SIGNATURE_HEADER] = await signWebhookBody(body, secret)
  const response = await fetch(url, { method: 'POST', body: body as BodyInit, headers: h })
  return { status: response.status, body: await response.text() }
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers })
  expect(response.status, url).toBe(200)
  return (await response.json()) as T
}

/** A signed POST with headers fetch will not send as given (Host). */
async function rawPost(
  url: string,
  body: string,
  headers: Record<string, string>,
  secret: string,
): Promise<number> {
  const signature = await signWebhookBody(body, secret)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signature },
      },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** A GET with headers fetch will not send as given (Host, Sec-Fetch-Site). */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

const events = webhookConversation({ id: 'conv-api' })
  .opened()
  .contactReplied('Hello, is the order 1234 on its way?')
  .agentReplied({ id: '11', name: 'Petr Svoboda' }, 'It left today.')
  .closed()
  .build()
const [opened, replied, answered, closed] = events.map((e) => JSON.stringify(e)) as [
  string,
  string,
  string,
  string,
]

describe('smartsupp-hook inspect: receiving and its API', { timeout: 120_000 }, () => {
  it('gives each delivery the library verdicts: which secret of a rotation, forged, unsigned, not the raw body, invalid, re-delivery; only authentic events are stored', async () => {
    const r = await inspect(['--secret', 'new-secret', '--secret', 'old-secret', '--store', 'memory'])
    const hook = `${r.base}/webhooks/smartsupp`
    expect((await post(hook, opened, 'old-secret')).status).toBe(200)
    expect((await post(hook, opened, 'new-secret')).status).toBe(200)
    expect((await post(hook, replied, 'not-the-secret')).status).toBe(401)
    expect((await post(hook, answered)).status).toBe(401)
    const reformatted = JSON.stringify(JSON.parse(answered), null, 2)
    expect(
      (
        await post(hook, reformatted, undefined, {
          [WEBHOOK_SIGNATURE_HEADER]: await signWebhookBody(answered, 'new-secret'),
        })
      ).status,
    ).toBe(401)
    const { event: _event, ...noEvent } = JSON.parse(closed) as Record<string, unknown>
    expect((await post(hook, JSON.stringify(noEvent), 'new-secret')).status).toBe(200)
    expect((await post(`${r.base}/hook`, JSON.stringify(fixtures.documentedExample()))).status).toBe(200)
    expect((await post(`${r.base}/webhook`, opened, 'new-secret')).status).toBe(404)
    // Through a tunnel the Host is the tunnel's: the receivers take it (the page would not).
    expect(
      await rawPost(
        `${r.base}/webhooks/smartsupp`,
        opened,
        { host: 'abc.tunnel.example', authorization: 'Bearer sk-live-1', cookie: 'sid=2' },
        'new-secret',
      ),
    ).toBe(200)

    const list = await getJson<DeliverySummary[]>(`${r.base}/api/deliveries`)
    expect(list.map((d) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    const tunnelled = await getJson<DeliveryDetail>(`${r.base}/api/deliveries/9`)
    expect(tunnelled.duplicateOf).toBe(1)
    expect(
      tunnelled.headers.filter(([name]) => ['host', 'authorization', 'cookie'].includes(name.toLowerCase())),
    ).toEqual([
      ['host', 'abc.tunnel.example'],
      ['authorization', '***'],
      ['cookie', '***'],
    ])
    const [first, again, forged, unsigned, reserialised, invalid, postHook, wrongPath] = list as [
      DeliverySummary,
      DeliverySummary,
      DeliverySummary,
      DeliverySummary,
      DeliverySummary,
      DeliverySummary,
      DeliverySummary,
      DeliverySummary,
    ]
    expect(first.signature).toEqual({ kind: 'valid', secretIndex: 1, secretCount: 2 })
    expect(first.store).toBe('stored')
    expect(first.event).toBe('conversation.opened')
    expect(first.conversationId).toBe('conv-api')
    expect(again.signature).toEqual({ kind: 'valid', secretIndex: 0, secretCount: 2 })
    expect(again.duplicateOf).toBe(1)
    expect(again.store).toBe('already-stored')
    expect(forged.signature.kind).toBe('mismatch')
    expect(forged.status).toBe(401)
    expect(forged.store).toBe('not-stored')
    expect(forged.decode.kind).toBe('decoded')
    expect(forged.duplicateOf).toBeNull()
    expect(unsigned.signature.kind).toBe('missing')
    expect(reserialised.signature.kind).toBe('not_raw_body')
    expect(invalid.decode).toMatchObject({
      kind: 'invalid',
      as: 'webhook',
      issues: [{ path: 'event', code: 'missing' }],
    })
    expect(invalid.store).toBe('poisoned')
    expect(postHook).toMatchObject({
      format: 'post-hook',
      signature: { kind: 'token-not-required' },
      decode: { kind: 'decoded', as: 'conversation' },
      event: 'conversation',
      conversationId: '55039',
      who: 'Dusan Kmet',
    })
    expect(wrongPath).toMatchObject({
      format: 'other-path',
      status: 404,
      path: '/webhook',
      store: 'not-an-event',
    })

    // The store has the one authentic event of the conversation; the forged reply is on its timeline, refused.
    const c = await getJson<ConversationDetail>(`${r.base}/api/conversations/webhooks/conv-api`)
    expect(c.stored).toMatchObject({ conversationId: 'conv-api', eventCount: 1, state: 'open' })
    expect(c.timeline.map((e) => [e.event, e.stored, e.deliveries])).toEqual([
      ['conversation.opened', true, [1, 2, 9]],
      ['conversation.contact_replied', false, [3]],
      // Unsigned, then re-serialised: one event (one key), twice refused.
      ['conversation.agent_replied', false, [4, 5]],
    ])
    // The POST hook conversation shows the same view, from its one payload.
    const items = await getJson<ConversationItem[]>(`${r.base}/api/conversations`)
    expect(items.map((i) => [i.source, i.id, i.state])).toEqual(
      expect.arrayContaining([
        ['webhooks', 'conv-api', 'open'],
        ['post-hook', '55039', null],
      ]),
    )
    const hookConversation = await getJson<ConversationDetail>(`${r.base}/api/conversations/post-hook/55039`)
    expect(hookConversation.conversation).toMatchObject({
      summary: { id: '55039', visitorName: 'Dusan Kmet', messageCount: 6 },
      agents: [expect.objectContaining({ id: '3' })],
    })
    expect(hookConversation.timeline.map((e) => e.deliveries)).toEqual([[7]])
    const detail = await getJson<DeliveryDetail>(`${r.base}/api/deliveries/1`)
    expect(detail.model).toMatchObject({ event: 'conversation.opened', known: true })
    expect(detail.headers.some(([name]) => name.toLowerCase() === WEBHOOK_SIGNATURE_HEADER)).toBe(true)
    expect(JSON.parse(detail.answer)).toEqual({ ok: true })
    expect(r.output()).toMatch(
      /#3 webhook conversation\.contact_replied conversation conv-api: BAD SIGNATURE, decoded → 401/,
    )
  })

  it('--token guards the page and its API, the POST hook URL needs it, state-changing requests need the header; other hosts and sites are refused', async () => {
    const token = 'tok-Secret_42'
    const r = await inspect(['--secret', 's', '--token', token, '--store', 'memory'])
    expect(r.pageUrl).toBe(`${r.base}/?token=${token}`)
    const page = await fetch(r.pageUrl)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('<script src="/app.js" defer></script>')
    expect((await fetch(`${r.base}/`)).status).toBe(401)
    expect((await fetch(`${r.base}/?token=wrong`)).status).toBe(401)
    // The static assets hold nothing of any delivery: served without the token.
    expect((await fetch(`${r.base}/app.js`)).status).toBe(200)
    expect((await fetch(`${r.base}/api/deliveries`)).status).toBe(401)
    expect((await fetch(`${r.base}/api/deliveries`, { headers: { 'x-inspect-token': token } })).status).toBe(
      200,
    )
    expect((await fetch(`${r.base}/api/deliveries?token=${token}`)).status).toBe(200)
    expect((await fetch(`${r.base}/api/stream`)).status).toBe(401)

    // The POST hook: /hook/<token> or ?token=; without it, shown but answered 401.
    const body = JSON.stringify(fixtures.documentedExample())
    expect((await post(`${r.base}/hook/${token}`, body)).status).toBe(200)
    expect((await post(`${r.base}/hook?token=nope`, body)).status).toBe(401)
    expect((await post(`${r.base}/hook`, body)).status).toBe(401)
    const list = await getJson<DeliverySummary[]>(`${r.base}/api/deliveries?token=${token}`)
    expect(list.map((d) => [d.path, d.signature])).toEqual([
      ['/hook/***', { kind: 'token-valid' }],
      ['/hook?token=***', { kind: 'token-wrong', given: true }],
      ['/hook', { kind: 'token-wrong', given: false }],
    ])
    expect(list[0]?.duplicateOf).toBeNull()

    const action = (headers: Record<string, string>) =>
      fetch(`${r.base}/api/deliveries/1/replay?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ url: `${r.base}/hook/${token}`, secret: null }),
      })
    expect((await action({})).status).toBe(403)
    // A wrong token in the header fails the page's own check first.
    expect((await action({ 'x-inspect-token': 'guess' })).status).toBe(401)
    expect((await action({ 'x-inspect-token': token, origin: 'http://evil.example' })).status).toBe(403)
    const replayed = await action({ 'x-inspect-token': token })
    expect(replayed.status).toBe(200)
    expect(await replayed.json()).toMatchObject({ status: 200, signed: false })
    const after = await getJson<DeliverySummary[]>(`${r.base}/api/deliveries?token=${token}`)
    expect(after.at(-1)).toMatchObject({ seq: 4, duplicateOf: 1, signature: { kind: 'token-valid' } })

    // Another site's name pointing at 127.0.0.1 (DNS rebinding), or a cross-site request: refused.
    expect(await rawGet(`${r.base}/api/deliveries?token=${token}`, { host: 'evil.example' })).toBe(403)
    expect(await rawGet(`${r.base}/api/deliveries?token=${token}`, { 'sec-fetch-site': 'cross-site' })).toBe(
      403,
    )
    expect(
      await rawGet(`${r.base}/api/deliveries?token=${token}`, { host: `localhost:${new URL(r.base).port}` }),
    ).toBe(200)
  })

  it('without --token the page is open on loopback, and state-changing requests need the per-run token the page gets from /api/session', async () => {
    const r = await inspect(['--secret', 's', '--store', 'memory'])
    expect(r.pageUrl).toBe(`${r.base}/`)
    expect((await post(`${r.base}/webhooks/smartsupp`, opened, 's')).status).toBe(200)
    const session = await getJson<InspectSession>(`${r.base}/api/session`)
    expect(session.actionToken).toMatch(/^[0-9a-f]{48}$/)
    expect(session).toMatchObject({
      secretCount: 1,
      tokenRequired: false,
      store: 'memory',
      webhookUrl: `${r.base}/webhooks/smartsupp`,
    })
    const curl = (headers: Record<string, string>) =>
      fetch(`${r.base}/api/deliveries/1/curl`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ url: `${r.base}/webhooks/smartsupp`, secret: 0 }),
      })
    expect((await curl({})).status).toBe(403)
    expect((await curl({ 'x-inspect-token': session.actionToken })).status).toBe(200)
  })

  it('answers 400, not 500, to a conversation address that is not valid percent-encoding', async () => {
    const r = await inspect(['--secret', 's', '--store', 'memory'])
    for (const source of ['webhooks', 'post-hook']) {
      for (const id of ['%E0', 'conv-%zz', '%']) {
        const response = await fetch(`${r.base}/api/conversations/${source}/${id}`)
        expect(response.status, `${source}/${id}`).toBe(400)
        expect(await response.json()).toEqual({
          error:
            'the conversation id in the address is not valid percent-encoding: encode it with encodeURIComponent',
        })
      }
    }
    // Encoded ids still work: an unknown one is no conversation.
    expect((await fetch(`${r.base}/api/conversations/post-hook/${encodeURIComponent('a%b/c')}`)).status).toBe(
      404,
    )
  })

  it("refuses deliveries a browser marks as another site's (Sec-Fetch-Site), unread and unkept; Smartsupp's and same-origin ones are taken", async () => {
    const r = await inspect(['--secret', 's', '--store', 'memory'])
    const form = JSON.stringify(fixtures.documentedExample())
    // A web page's form post: no token is needed on /hook without --token, so only this stops it.
    for (const site of ['cross-site', 'same-site']) {
      for (const path of ['/hook', '/webhooks/smartsupp', '/elsewhere']) {
        expect(
          await rawPost(`${r.base}${path}`, form, { 'sec-fetch-site': site }, 's'),
          `${site} ${path}`,
        ).toBe(403)
      }
    }
    expect(await getJson<DeliverySummary[]>(`${r.base}/api/deliveries`)).toEqual([])
    // What Smartsupp sends (no such header), and the inspector's own page (same-origin), are deliveries.
    expect((await post(`${r.base}/hook`, form)).status).toBe(200)
    expect(
      await rawPost(`${r.base}/webhooks/smartsupp`, opened, { 'sec-fetch-site': 'same-origin' }, 's'),
    ).toBe(200)
    expect((await getJson<DeliverySummary[]>(`${r.base}/api/deliveries`)).map((d) => d.path)).toEqual([
      '/hook',
      '/webhooks/smartsupp',
    ])
  })

  it('the page is small: a script and a stylesheet of a few tens of kilobytes, no framework', async () => {
    const sizes = await pageBuilt()
    process.stdout.write(`inspect page: ${JSON.stringify(sizes)} bytes\n`)
    expect(sizes['app.js']).toBeLessThan(100_000)
    expect(sizes['app.css']).toBeLessThan(40_000)
  })

  // Node's recursive mkdir never settles under /proc: inspect hung there, before anything was printed.
  it.runIf(process.platform === 'linux')(
    '--out a directory that cannot be made (under /proc): exit 2 naming it, no hang',
    async () => {
      const r = await runInspect(['--out', '/proc/x/deliveries', '--secret', 's'])
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(
        "smartsupp-hook: cannot use /proc/x/deliveries for the deliveries: ENOENT: no such file or directory, mkdir '/proc/x'\n",
      )
    },
  )

  it('refuses --host beyond loopback without --token', async () => {
    const r = await runInspect(['--host', '0.0.0.0', '--secret', 's'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--host 0.0.0.0 serves the page beyond this machine: give --token too')
  })

  it('copy as curl: the command, run by sh, sends the exact bytes signed so that they verify (text and binary bodies); a forged body is signed only when asked', async () => {
    const r = await inspect(['--secret', 's', '--store', 'memory'])
    const hook = `${r.base}/webhooks/smartsupp`
    const { actionToken } = await getJson<InspectSession>(`${r.base}/api/session`)
    const quirky = opened.replace('}', `, "note": "it's $HOME \`id\` \\\\ \\n"}`)
    expect((await post(hook, quirky, 's')).status).toBe(200)
    const binary = new Uint8Array([0x7b, 0xff, 0x00, 0xfe, 0x7d])
    expect((await post(hook, binary, 's')).status).toBe(200)
    expect((await post(hook, replied, 'forged')).status).toBe(401)
    const curlOf = async (seq: number, signAnyway = false) => {
      const response = await fetch(`${r.base}/api/deliveries/${seq}/curl`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-inspect-token': actionToken },
        body: JSON.stringify({ url: hook, secret: 0, signAnyway }),
      })
      return {
        status: response.status,
        body: (await response.json()) as { command?: string; error?: string },
      }
    }
    const text = await curlOf(1)
    expect(text.body.command).toMatch(/^printf '%s' '/)
    await run('sh', ['-c', text.body.command as string])
    const bin = await curlOf(2)
    expect(bin.body.command).toMatch(/^base64 -d <<'BODY' \| curl/)
    await run('sh', ['-c', bin.body.command as string])
    const refused = await curlOf(3)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toContain('sign it anyway')
    expect((await curlOf(3, true)).status).toBe(200)

    const list = await getJson<DeliverySummary[]>(`${r.base}/api/deliveries`)
    expect(list.map((d) => [d.seq, d.signature.kind, d.duplicateOf, d.store])).toEqual([
      [1, 'valid', null, 'stored'],
      [2, 'valid', null, 'poisoned'],
      [3, 'mismatch', null, 'not-stored'],
      [4, 'valid', 1, 'already-stored'],
      [5, 'valid', 2, 'already-stored'],
    ])
    const body = async (seq: number) =>
      new Uint8Array(await (await fetch(`${r.base}/api/deliveries/${seq}/body`)).arrayBuffer())
    expect(await body(4)).toEqual(await body(1))
    expect(await body(5)).toEqual(binary)
    const download = await fetch(`${r.base}/api/deliveries/2/body?download=1`)
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="delivery-2.json"')
    expect(download.headers.get('content-type')).toBe('application/octet-stream')
    expect(download.headers.get('content-security-policy')).toContain('sandbox')
  })

  it("applies listen's limits: a body over --max-bytes is refused (413) and one past --max-files (507), each still listed, unread", async () => {
    const r = await inspect(['--secret', 's', '--store', 'memory', '--max-bytes', '2KiB', '--max-files', '2'])
    const hook = `${r.base}/webhooks/smartsupp`
    expect((await post(hook, opened, 's')).status).toBe(200)
    expect((await post(hook, 'x'.repeat(5000), 's')).status).toBe(413)
    expect((await post(hook, closed, 's')).status).toBe(200)
    expect((await post(hook, replied, 's')).status).toBe(507)
    const list = await getJson<DeliverySummary[]>(`${r.base}/api/deliveries`)
    expect(
      list.map((d) => [d.status, d.kept, d.decode.kind === 'not-read' ? d.decode.reason : d.decode.kind]),
    ).toEqual([
      [200, true, 'decoded'],
      [413, false, 'too-large'],
      [200, true, 'decoded'],
      [507, false, 'no-room'],
    ])
  })

  it('without --out, --max-total bounds the bytes uploads hold while they arrive: one past it is answered 507 before its end, not read whole first', async () => {
    const r = await inspect([
      '--secret',
      's',
      '--store',
      'memory',
      '--max-bytes',
      '1MiB',
      '--max-total',
      '64KiB',
    ])
    const url = new URL(`${r.base}/webhooks/smartsupp`)
    // A chunked upload (no Content-Length) that sends 96 KiB and then stalls: its end never comes
    // unless the test ends it. The answer must come while the body is still open.
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    })
    const status = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
    })
    req.write(Buffer.alloc(96 * 1024, 0x61))
    // A bound for a hang, not a measure: before the fix the answer waited for the end of the body.
    const bound = new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000).unref())
    const first = await Promise.race([status, bound])
    req.destroy()
    expect(first).toBe(507)
    const list = await getJson<DeliverySummary[]>(`${r.base}/api/deliveries`)
    expect(list.map((d) => [d.status, d.kept])).toEqual([[507, false]])
    // The bytes it held went back: a small delivery is still kept.
    expect((await post(url.href, opened, 's')).status).toBe(200)
  })

  it('with --out, a restarted inspector shows the earlier deliveries and its embedded store still has their conversation; bodies are named as listen names them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'smartsupp-inspect-out-'))
    try {
      const first = await inspect(['--secret', 's', '--out', out, '--settle-ms', '600000'])
      const hook = `${first.base}/webhooks/smartsupp`
      expect((await post(hook, opened, 's')).status).toBe(200)
      expect((await post(hook, closed, 's')).status).toBe(200)
      expect((await post(hook, replied, 'forged')).status).toBe(401)
      expect(await first.stop()).toBe(0)
      expect(readdirSync(join(out, 'bodies')).sort()).toEqual([
        expect.stringMatching(/-0001-webhook-conversation\.opened-conv-api\.json$/),
        expect.stringMatching(/-0002-webhook-conversation\.closed-conv-api\.json$/),
        expect.stringMatching(/-0003-bad-signature-webhook-conversation\.contact_replied-conv-api\.json$/),
      ])

      const second = await inspect(['--secret', 's', '--out', out, '--settle-ms', '600000'])
      expect(second.output()).toContain('3 earlier deliveries restored')
      const list = await getJson<DeliverySummary[]>(`${second.base}/api/deliveries`)
      expect(list.map((d) => [d.seq, d.signature.kind])).toEqual([
        [1, 'valid'],
        [2, 'valid'],
        [3, 'mismatch'],
      ])
      expect((await post(`${second.base}/webhooks/smartsupp`, opened, 's')).status).toBe(200)
      const again = await getJson<DeliverySummary>(`${second.base}/api/deliveries/4`)
      expect(again).toMatchObject({ duplicateOf: 1, store: 'already-stored' })
      const items = await getJson<ConversationItem[]>(`${second.base}/api/conversations`)
      expect(items).toEqual([
        expect.objectContaining({ source: 'webhooks', id: 'conv-api', state: 'pending', eventCount: 2 }),
      ])
      expect(await second.stop()).toBe(0)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('exports a finished conversation after its settle period through its own onConversationFinished: open, pending, exported', async () => {
    const r = await inspect(['--secret', 's', '--store', 'memory', '--settle-ms', '1500'])
    const hook = `${r.base}/webhooks/smartsupp`
    for (const body of [opened, replied, answered]) expect((await post(hook, body, 's')).status).toBe(200)
    const open = await getJson<ConversationDetail>(`${r.base}/api/conversations/webhooks/conv-api`)
    expect(open.state).toBe('open')
    expect((await post(hook, closed, 's')).status).toBe(200)
    const pending = await getJson<ConversationDetail>(`${r.base}/api/conversations/webhooks/conv-api`)
    expect(pending.state).toBe('pending')
    expect(Date.parse(pending.dueAt as string) - Date.parse(pending.stored?.lastReceivedAt as string)).toBe(
      1500,
    )
    const exported = await eventually(async () => {
      const d = await getJson<ConversationDetail>(`${r.base}/api/conversations/webhooks/conv-api`)
      return d.state === 'exported' ? d : undefined
    })
    expect(exported.exports).toEqual([
      expect.objectContaining({ reason: 'closed', attempt: 1, messageCount: 3 }),
    ])
    const view = exported.conversation as Exclude<
      ConversationDetail['conversation'],
      null | { error: string }
    >
    expect(view.summary).toMatchObject({ id: 'conv-api', messageCount: 3, agentNames: ['Petr Svoboda'] })
    expect(view.agents).toEqual([
      expect.objectContaining({ id: '11', name: 'Petr Svoboda', messageCount: 1 }),
    ])
    expect(view.messages.map((m) => [m.kind, m.lines])).toEqual([
      ['visitor', ['Hello, is the order 1234 on its way?']],
      ['agent', ['It left today.']],
      ['system', null],
    ])
    expect(view.messages[2]?.label).toBe('Petr Svoboda closed the chat')
    expect(r.output()).toMatch(
      /exported conversation conv-api: 3 messages, Petr Svoboda \(revision 1, closed, attempt 1\)/,
    )
  })
})
