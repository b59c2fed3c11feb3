import { describe, expect, it } from 'vitest'
import { checkHookPath, isHookPath, isWebhookPath } from '../../../src/adapters/nest/hook-path.js'

describe('isHookPath', () => {
  const path = '/hooks/smartsupp'

  it.each([
    '/hooks/smartsupp',
    '/hooks/smartsupp/',
    '/hooks/smartsupp/the-token',
    '/hooks/smartsupp?token=the-token',
    '/hooks/smartsupp/the-token?x=1#frag',
  ])('takes %s', (url) => {
    expect(isHookPath(url, path)).toBe(true)
  })

  it.each([
    '/hooks/smartsuppx',
    '/hooks/smartsupp/the-token/more',
    '/HOOKS/smartsupp/the-token',
    '/api/hooks/smartsupp/the-token',
    '/hooks',
    '/other?next=/hooks/smartsupp',
  ])('leaves %s to Nest', (url) => {
    expect(isHookPath(url, path)).toBe(false)
  })
})

describe('isWebhookPath', () => {
  const path = '/webhooks/smartsupp'

  it.each([
    '/webhooks/smartsupp',
    '/webhooks/smartsupp/',
    '/webhooks/smartsupp?x=1',
    '/webhooks/smartsupp#frag',
  ])('takes %s', (url) => {
    expect(isWebhookPath(url, path)).toBe(true)
  })

  it.each([
    '/webhooks/smartsuppx',
    '/webhooks/smartsupp/extra',
    '/WEBHOOKS/smartsupp',
    '/api/webhooks/smartsupp',
    '/webhooks',
    '/other?next=/webhooks/smartsupp',
  ])('leaves %s to Nest', (url) => {
    expect(isWebhookPath(url, path)).toBe(false)
  })
})

describe('checkHookPath', () => {
  it('names the module whose option is wrong', () => {
    expect(() => checkHookPath('relative', 'SmartsuppWebhookModule')).toThrow(
      /SmartsuppWebhookModule needs \{ path \}/,
    )
    expect(() => checkHookPath('relative')).toThrow(/SmartsuppHookModule needs \{ path \}/)
  })

  it('keeps an absolute path, without trailing slashes', () => {
    expect(checkHookPath('/hooks/smartsupp')).toBe('/hooks/smartsupp')
    expect(checkHookPath('/hooks/smartsupp//')).toBe('/hooks/smartsupp')
  })

  it.each([undefined, '', 'hooks/smartsupp', '/hooks/:token', '/hooks/*', '/hooks?token=x', '/', '//'])(
    'refuses %s with a TypeError',
    (path) => {
      expect(() => checkHookPath(path)).toThrow(TypeError)
    },
  )
})
