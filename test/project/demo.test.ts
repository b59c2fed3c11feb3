import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts

/** Runs `npm run demo`'s command (`tsx <script>`) from the repository root and waits for it to end. */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [bin, ...args] = (scripts.demo ?? '').split(' ')
  expect(bin).toBe('tsx')
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s
  })
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The lines between the header line `file` and the next blank line. */
function section(stdout: string, file: string): string {
  const lines = stdout.split('\n')
  const start = lines.indexOf(file)
  if (start === -1) return ''
  const end = lines.indexOf('', start)
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n')
}

describe('npm run demo', () => {
  it('decodes every bundled payload, posts each to the Express example, signed webhook events to the webhooks example, then the same events shuffled to a receiver with a store', {
    timeout: 120_000,
  }, async () => {
    const payloads = readdirSync(join(root, 'examples/payloads'))
      .filter((f) => f.endsWith('.json'))
      .sort()
    expect(payloads.length).toBeGreaterThan(0)

    const { code, stdout, stderr } = await runDemo()
    expect(code, stderr).toBe(0)

    // One header line per payload file, in order.
    const headers = stdout.split('\n').filter((line) => line.endsWith('.json') && !line.startsWith(' '))
    expect(headers).toEqual(payloads)

    expect(section(stdout, 'broken-essential-fields.json')).toMatch(/^ {2}NOT DECODED/)
    expect(section(stdout, 'documented-example.json')).toContain('conversation 55039')
    expect(stdout).toMatch(/^ {2}POST documented-example\.json → 200;/m)
    expect(stdout).toMatch(/^ {2}POST broken-essential-fields\.json → 400;/m)

    // Part three: one conversation's webhook events, signed, to the webhooks example, in order.
    const webhooks = stdout.slice(stdout.indexOf('\nWebhooks: the webhooks example'))
    const posted = [
      ...webhooks.matchAll(/^ {2}POST (\S+) → 200; the receiver decoded \1, conversation conv-001/gm),
    ].map((m) => m[1])
    expect(posted).toEqual([
      'conversation.opened',
      'conversation.contact_replied',
      'conversation.bot_replied',
      'conversation.agent_assigned',
      'conversation.agent_joined',
      'conversation.agent_replied',
      'conversation.message_delivered',
      'conversation.agent_unassigned',
      'conversation.agent_left',
      'conversation.rated',
      'conversation.closed',
    ])
    expect(webhooks).toContain(
      'POST conversation.agent_replied → 200; the receiver decoded conversation.agent_replied, conversation conv-001: "Hi Jana, yes: size M is in stock."',
    )
    expect(webhooks).toMatch(
      /POST conversation\.agent_replied again \(a re-delivery\) → 200; the receiver skipped a duplicate of conversation\.agent_replied/,
    )
    expect(webhooks).toContain(
      'POST conversation.closed signed with another secret → 401; the receiver was not called',
    )

    // Part four: the same events shuffled, with a re-delivery, to a receiver with a store; the
    // conversation is assembled once, whatever the order.
    const start = stdout.indexOf('\nWhole conversations: a receiver with store: pgliteEventStore()')
    expect(start).toBeGreaterThan(stdout.indexOf('\nWebhooks: the webhooks example'))
    const whole = stdout.slice(start).split('\n').slice(2)
    const posts = whole.filter((line) => line.startsWith('  POST '))
    expect(
      posts.every((line) => line.endsWith(' → 200')),
      posts.join('\n'),
    ).toBe(true)
    const names = posts.map((line) => /^ {2}POST (\S+)/.exec(line)?.[1])
    expect(names).toHaveLength(12)
    expect(names.at(-1)).toBe('conversation.closed')
    expect([...new Set(names)].sort()).toEqual([...posted].sort())
    const again = posts.filter((line) => line.includes(' again (a re-delivery)'))
    expect(again).toEqual(['  POST conversation.agent_replied again (a re-delivery) → 200'])
    expect(names.indexOf('conversation.agent_replied')).toBeLessThan(posts.indexOf(again[0] ?? ''))
    expect(stdout.match(/^onConversationFinished/gm)).toHaveLength(1)
    expect(whole.slice(posts.length).join('\n')).toBe(
      [
        'onConversationFinished (closed, attempt 1, 11 events stored): conversation conv-001 (account 881987), assembled from webhooks',
        '  summary: chat, 2026-03-02T09:15:00.000Z → 2026-03-02T09:20:00.000Z, closed by agent',
        '  visitor: Jana Nováková <jana@example.com>; agents: Petr Svoboda',
        '  messages: 8 (1 from the visitor, 1 from agents, 1 automatic); first response 38 s',
        '  rating: 5/5 "Quick and friendly, thank you!"; 0 warning(s)',
        '  transcript:',
        '    [2026-03-02 09:15:02 UTC] Jana Nováková: Hello, is the blue jacket in stock in size M?',
        '    [2026-03-02 09:15:03 UTC] Automatic message (Shop assistant): Hi Jana! An agent will be with you shortly.',
        '    [2026-03-02 09:15:20 UTC] * Chat assigned to Petr Svoboda',
        '    [2026-03-02 09:15:25 UTC] * Petr Svoboda joined',
        '    [2026-03-02 09:15:40 UTC] Petr Svoboda: Hi Jana, yes: size M is in stock.',
        '    [2026-03-02 09:17:00 UTC] * Chat unassigned from an agent',
        '    [2026-03-02 09:17:01 UTC] * Petr Svoboda left',
        '    [2026-03-02 09:20:00 UTC] * Petr Svoboda closed the chat',
        '',
      ].join('\n'),
    )
    expect(stderr).toBe('')
  })
})
