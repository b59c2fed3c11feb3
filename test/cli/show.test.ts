import { conversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { RAW_CONTROL, runCli } from './cli-process.js'

const example = 'examples/payloads/documented-example.json'

describe('smartsupp-hook show', { timeout: 60_000 }, () => {
  it('text: a summary with computed and reported figures, then the transcript', async () => {
    const r = await runCli(['show', example])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Conversation 55039\n')
    expect(r.stdout).toMatch(/ {2}kind +chat\n/)
    expect(r.stdout).toMatch(/ {2}visitor +Dusan Kmet <dusan@domain.com>\n/)
    expect(r.stdout).toMatch(/ {2}first response +14\.069 s \(Smartsupp: 14 s\)\n/)
    expect(r.stdout).toContain('Transcript\n[2015-03-27 15:33:59 UTC] Dusan Kmet: Hello\n')
    expect(r.stdout).toContain('Visitor closed the chat')
    expect(r.stderr).toBe('')
  })

  it('--tz shows the times in that zone', async () => {
    const r = await runCli(['show', '--tz', 'Europe/Prague', example])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('[2015-03-27 16:33:59 UTC+01:00] Dusan Kmet: Hello')
  })

  it('--format markdown and json', async () => {
    const [md, json] = await Promise.all([
      runCli(['show', '--format', 'markdown', example]),
      runCli(['show', '--format=json', '-'], { stdin: JSON.stringify(conversation().visitor('Hi').build()) }),
    ])
    expect(md.code).toBe(0)
    expect(md.stdout).toContain('## Conversation 55039\n')
    expect(md.stdout).toContain('- **kind:** chat')
    expect(md.stdout).toContain('### Transcript')
    expect(json.code).toBe(0)
    const parsed = JSON.parse(json.stdout)
    expect(parsed.summary).toMatchObject({
      id: '1000',
      accountId: '208',
      category: 'missed',
      visitorName: 'Jane Roe',
    })
    expect(parsed.durations).toMatchObject({ firstResponseMs: null })
    expect(parsed.transcript).toContain('Jane Roe: Hi')
  })

  it('escapes control characters from the payload instead of printing them', async () => {
    const hostile = conversation().visitor('clear \u001b[2J screen').build()
    const r = await runCli(['show', '-'], { stdin: JSON.stringify(hostile) })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('clear \\u001b[2J screen')
    expect(r.stdout).not.toContain('\u001b')
  })

  it('exit 1 with the issues for a body that is not a conversation', async () => {
    const r = await runCli(['show', 'examples/payloads/broken-essential-fields.json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('accountId: expected an integer')
    expect(r.stderr).toContain('messages[3].sentAt')
  })

  it('exit 2 for a bad --format, an unknown --tz, a missing file or no file', async () => {
    const runs = await Promise.all([
      runCli(['show', '--format', 'xml', example]),
      runCli(['show', '--tz', 'Mars/Olympus', example]),
      runCli(['show', 'missing.json']),
      runCli(['show']),
    ])
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2])
    expect(runs[0]?.stderr).toContain('--format must be text, markdown or json, got "xml"')
    expect(runs[1]?.stderr).toContain('"Mars/Olympus" is not a time zone')
    expect(runs[2]?.stderr).toBe('smartsupp-hook: cannot read missing.json: no such file or directory\n')
    expect(runs.every((r) => r.stderr.trim().split('\n').length === 1)).toBe(true)
  })
})

describe('smartsupp-hook show: strictness, capped lists, control characters', { timeout: 60_000 }, () => {
  it('--strict refuses what lenient shows: the pre-2018 form', async () => {
    const legacy = 'examples/payloads/legacy-pre-2018.json'
    const [lenient, strict] = await Promise.all([
      runCli(['show', legacy]),
      runCli(['show', '--strict', legacy]),
    ])
    expect(lenient.code).toBe(0)
    expect(strict.code).toBe(1)
    expect(strict.stdout).toBe('')
    expect(strict.stderr).toContain('Not a valid Smartsupp conversation (strict)')
  })

  it('says "… and N more" past the first 50 issues, as check does', async () => {
    const payload = conversation().visitor('Hi').build() as unknown as { messages: unknown[] }
    payload.messages = Array.from({ length: 60 }, () => ({ type: 'visitor', sentAt: 'never' }))
    const r = await runCli(['show', '-'], { stdin: JSON.stringify(payload) })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/\n {8}… and \d+ more\n$/)
  })

  it('escapes C0 and C1 controls in the issue lines', async () => {
    const r = await runCli(['show', '-'], { stdin: JSON.stringify({ accountId: '\u009b31m\u001b[2J' }) })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('found "\\u009b31m\\u001b[2J"')
    expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false)
  })
})
