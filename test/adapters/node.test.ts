import { createSmartsuppListener } from 'smartsupp-hook/node'
import { describe, expect, it } from 'vitest'
import { listen } from './support/listen.js'
import { describeReceiver } from './support/receiver-contract.js'

describeReceiver('node:http', (options, tracker) => {
  const listener = createSmartsuppListener(options)
  return listen((req, res) => tracker.track(listener(req, res)))
})

describe('createSmartsuppListener options', () => {
  const onConversation = () => {}
  it.each([
    [{ onConversation: 'no' }, /onConversation must be a function/],
    [{ onConversation, token: '' }, /token must be a non-empty string/],
    [{ onConversation, token: undefined }, /token is undefined.*leave the token key out/],
    [{ onConversation, limit: 0 }, /limit must be a whole number of bytes/],
    [{ onConversation, limit: 1.5 }, /limit must be a whole number of bytes/],
    [{ onConversation, mode: 'loose' }, /mode must be 'lenient' or 'strict'/],
    [{ onConversation, maxIssues: -1 }, /maxIssues must be a whole number/],
    [{ onConversation, onInvalid: 1 }, /onInvalid must be a function/],
  ])('throws a TypeError naming the option at creation (%o)', (options, message) => {
    expect(() => createSmartsuppListener(options as never)).toThrow(TypeError)
    expect(() => createSmartsuppListener(options as never)).toThrow(message)
  })

  it('decodes in strict mode when asked', async () => {
    const seen: unknown[] = []
    const running = await listen(
      createSmartsuppListener({
        mode: 'strict',
        onConversation: () => {},
        onInvalid: (f) => void seen.push(f.mode),
      }),
    )
    try {
      const res = await fetch(running.origin, { method: 'POST', body: '{"accountId":1}' })
      expect(res.status).toBe(400)
      expect(seen).toEqual(['strict'])
    } finally {
      await running.close()
    }
  })
})
