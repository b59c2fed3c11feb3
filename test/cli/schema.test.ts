import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from './cli-process.js'

const shipped = (name: string) => readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')

describe('smartsupp-hook schema', () => {
  it('prints the shipped JSON Schema, byte for byte', async () => {
    const result = await runCli(['schema'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe(shipped('post-hook.json'))
    expect(JSON.parse(result.stdout).$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })

  it('--webhook and --openapi print the webhook schema and the OpenAPI document', async () => {
    expect((await runCli(['schema', '--webhook'])).stdout).toBe(shipped('webhook-event.json'))
    expect((await runCli(['schema', '--openapi'])).stdout).toBe(shipped('openapi.json'))
    const both = await runCli(['schema', '--legacy', '--webhook'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('choose one of --legacy, --webhook')
  })

  it('--legacy prints the pre-2018 form; a stray argument is a usage error', async () => {
    expect((await runCli(['schema', '--legacy'])).stdout).toBe(shipped('post-hook-legacy.json'))
    const stray = await runCli(['schema', 'x.json'])
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain('schema: unexpected argument "x.json"')
    const help = await runCli(['schema', '--help'])
    expect(help.stdout).toContain('Usage: smartsupp-hook schema')
  })
})
