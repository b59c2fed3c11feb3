import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixtures, postConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

interface Captured {
  method: string | undefined
  url: string | undefined
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A real server on an ephemeral port that answers one request and closes. */
async function once(status: number, answer: string): Promise<{ url: string; captured: Promise<Captured> }> {
  let resolve: (c: Captured) => void = () => {}
  const captured = new Promise<Captured>((r) => {
    resolve = r
  })
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain' }).end(answer)
      server.close()
      resolve({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/hooks/smartsupp?secret=s3`, captured }
}

describe('postConversation', () => {
  it('POSTs JSON to a URL and returns the response', async () => {
    const { url, captured } = await once(201, 'stored')
    const payload = fixtures.documentedExample()
    const response = await postConversation(url, payload, { headers: { 'x-test': 'yes' } })
    expect(response.status).toBe(201)
    expect(await response.text()).toBe('stored')
    const request = await captured
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/hooks/smartsupp?secret=s3')
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['x-test']).toBe('yes')
    expect(request.body.toString('utf8')).toBe(JSON.stringify(payload))
  })

  it('sends bytes and strings unchanged', async () => {
    const bytes = Buffer.from('{"accountId": 1, \xff}', 'latin1')
    const { url, captured } = await once(400, 'bad')
    const response = await postConversation(url, bytes, { headers: { 'content-type': 'text/plain' } })
    expect(response.status).toBe(400)
    const request = await captured
    expect(request.body.equals(bytes)).toBe(true)
    expect(request.headers['content-type']).toBe('text/plain')
  })

  it('calls a Fetch-style handler directly with a POST Request', async () => {
    const seen: { method: string; url: string; type: string | null; body: unknown }[] = []
    const handler = async (request: Request) => {
      seen.push({
        method: request.method,
        url: request.url,
        type: request.headers.get('content-type'),
        body: await request.json(),
      })
      return new Response(null, { status: 204 })
    }
    const payload = fixtures.missed()
    const response = await postConversation(handler, payload, { url: 'https://shop.example/hook' })
    expect(response.status).toBe(204)
    expect(seen).toEqual([
      { method: 'POST', url: 'https://shop.example/hook', type: 'application/json', body: payload },
    ])
    const plain = await postConversation((r) => new Response(r.url), '{}')
    expect(await plain.text()).toBe('http://localhost/')
  })

  it('rejects a payload that is not JSON with a TypeError', async () => {
    await expect(postConversation(() => new Response(), undefined)).rejects.toThrow(TypeError)
  })
})

describe('postConversation options', () => {
  it('uses the fetch it is given for URL targets, with a POST and the JSON body', async () => {
    const calls: { input: string; method: string | undefined; body: unknown }[] = []
    const fake: typeof fetch = async (input, init) => {
      calls.push({ input: String(input), method: init?.method, body: init?.body })
      return new Response('faked', { status: 202 })
    }
    const payload = fixtures.unrated()
    const response = await postConversation('http://receiver.invalid/hook', payload, { fetch: fake })
    expect(response.status).toBe(202)
    expect(calls).toEqual([
      { input: 'http://receiver.invalid/hook', method: 'POST', body: JSON.stringify(payload) },
    ])
  })

  it('passes the signal on: an aborted signal rejects, for a URL and for a handler', async () => {
    const { url } = await once(200, 'never read')
    const aborted = AbortSignal.abort(new Error('stop'))
    await expect(postConversation(url, fixtures.missed(), { signal: aborted })).rejects.toThrow('stop')
    let seen: AbortSignal | null = null
    await postConversation(
      (request) => {
        seen = request.signal
        return new Response()
      },
      '{}',
      { signal: aborted },
    )
    expect((seen as AbortSignal | null)?.aborted).toBe(true)
    await fetch(url, { method: 'POST', body: '' }) // let the one-request server close
  })

  it('does not follow redirects: a 302 is returned as the answer, not turned into a GET', async () => {
    const seen: string[] = []
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      req.resume()
      if (req.url === '/hook') res.writeHead(302, { location: '/login' }).end()
      else res.writeHead(200).end('login page')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const { port } = server.address() as AddressInfo
      const response = await postConversation(`http://127.0.0.1:${port}/hook`, fixtures.missed())
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/login')
      expect(seen).toEqual(['POST /hook'])
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
