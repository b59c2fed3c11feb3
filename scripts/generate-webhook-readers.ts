// Writes src/decode/webhook/fast-webhook-readers.ts from the webhook codecs: one reader per
// object codec with named property loads and an object literal, the shape V8 makes fast. The
// codecs stay the one statement of the fields; test/webhooks/fast-readers.test.ts fails while the
// file is out of date and checks that the fast readers agree with the plan-driven ones.
// Run: npx tsx scripts/generate-webhook-readers.ts
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { WEBHOOK_EVENT_DATA } from '../src/codecs/webhook/webhook-event.js'
import type { Field, Plan } from '../src/decode/webhook/read-plan.js'
import { planOf } from '../src/decode/webhook/read-plan.js'
// Importing the event reader registers the finishers (the fields a model combines).
import '../src/decode/webhook/plan-finishers.js'

export const FAST_READERS_PATH = fileURLToPath(
  new URL('../src/decode/webhook/fast-webhook-readers.ts', import.meta.url),
)

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Every object plan reachable from the events' data, children first. */
function plansInOrder(): Plan[] {
  const out: Plan[] = []
  const visit = (plan: Plan) => {
    if (out.includes(plan)) return
    for (const f of plan.fields) if (f.plan !== undefined) visit(f.plan)
    out.push(plan)
  }
  for (const codec of Object.values(WEBHOOK_EVENT_DATA)) visit(planOf(codec))
  return out
}

/**
 * The path each plan is read at in a known event (`data`, `data.conversation` …), first found
 * wins: the readers compare `base` with it and pass their children's paths as constants, so a
 * decode builds no path string unless an object sits somewhere else or an issue is reported.
 */
function usualBases(): Map<Plan, string> {
  const bases = new Map<Plan, string>()
  const visit = (plan: Plan, base: string) => {
    if (bases.has(plan)) return
    bases.set(plan, base)
    for (const f of plan.fields)
      if (f.plan !== undefined && IDENTIFIER.test(f.wire)) visit(f.plan, `${base}.${f.wire}`)
  }
  for (const codec of Object.values(WEBHOOK_EVENT_DATA)) visit(planOf(codec), 'data')
  return bases
}

let bases = new Map<Plan, string>()

const fn = (plan: Plan) => `read${plan.name}`
const planConst = (plan: Plan) =>
  `${plan.name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `_${c}`)).toUpperCase()}`

/** The expression reading field `i`, value in `v<i>`: an inline test for the common case, else the generic reader. */
function expression(f: Field, i: number, plan: Plan): string {
  const v = `v${i}`
  const slow = `readValue(${v}, ${planConst(plan)}.fields[${i}] as Field, base, r)`
  const orNull = f.nullable ? ` || ${v} === null` : ''
  switch (f.kind) {
    case 'string':
    case 'id':
      return `typeof ${v} === 'string'${orNull} ? ${v} : ${slow}`
    case 'boolean':
      return `typeof ${v} === 'boolean'${orNull} ? ${v} : ${slow}`
    case 'integer':
      return `(typeof ${v} === 'number' && Number.isSafeInteger(${v}))${orNull} ? ${v} : ${slow}`
    case 'date':
      return `readDate(${v}, ${planConst(plan)}.fields[${i}] as Field, base, r)`
    case 'array':
      return `Array.isArray(${v}) ? ${v} : ${slow}`
    case 'record':
      return `isObject(${v}) ? ${v} : ${slow}`
    case 'object': {
      const child = f.plan as Plan
      const usual = bases.get(plan)
      const known = usual === undefined ? '' : `base === '${usual}' ? '${usual}.${f.wire}' : `
      const path = `${known}base === '' ? ${JSON.stringify(f.wire)} : \`\${base}.${f.wire}\``
      return `isObject(${v}) ? ${fn(child)}(${v}, ${IDENTIFIER.test(f.wire) ? path : `appendKey(base, ${JSON.stringify(f.wire)})`}, r) : ${slow}`
    }
    default:
      return slow
  }
}

function reader(plan: Plan): string {
  const lines: string[] = []
  lines.push(`/** Reads \`${plan.name}\` (generated from its codec). */`)
  lines.push(`export function ${fn(plan)}(o: Obj, base: string, r: Report): Record<string, unknown> {`)
  lines.push(`  if (!fastPath(o)) return readObject(o, ${planConst(plan)}, base, r)`)
  lines.push('  let present = 0')
  plan.fields.forEach((f, i) => {
    const load = IDENTIFIER.test(f.wire) ? `o.${f.wire}` : `o[${JSON.stringify(f.wire)}]`
    lines.push(`  const v${i} = ${load}`)
    lines.push(`  if (v${i} !== undefined) present++`)
  })
  lines.push('  const out: Record<string, unknown> = {')
  plan.fields.forEach((f, i) => {
    // An absent optional field is `null` without an issue: the common case of sparse events, inline.
    const absent = f.required ? '' : `v${i} === undefined ? null : `
    if (!plan.skip.has(f.wire)) lines.push(`    ${f.name}: ${absent}${expression(f, i, plan)},`)
  })
  for (const name of plan.adds) lines.push(`    ${name}: null,`)
  lines.push('  }')
  if (plan.finish !== undefined) lines.push(`  ;(${planConst(plan)}.finish as Finisher)(o, out, base, r)`)
  lines.push(`  if (countKeys(o) !== present) reportUnknownKeys(o, ${planConst(plan)}.known, base, r)`)
  lines.push('  return out')
  lines.push('}')
  return lines.join('\n')
}

/** The source of the fast readers, unformatted. */
export function webhookReadersSource(): string {
  const plans = plansInOrder()
  bases = usualBases()
  const codecs = new Map<Plan, string>()
  const codecFiles: Record<string, string> = {}
  for (const plan of plans) codecs.set(plan, plan.name)
  for (const name of Object.keys(WEBHOOK_EVENT_DATA))
    codecFiles[name] = planOf(WEBHOOK_EVENT_DATA[name as keyof typeof WEBHOOK_EVENT_DATA]).name
  const dataReaders = Object.entries(codecFiles)
    .map(([event, plan]) => `  ${JSON.stringify(event)}: read${plan},`)
    .join('\n')
  const imports = plans.map((p) => p.name)
  const body = plans.map(reader).join('\n\n')
  const appendKeyImport = body.includes('appendKey(') ? "import { appendKey } from '../format-path.js'\n" : ''
  return `// Generated by scripts/generate-webhook-readers.ts from the webhook codecs: do not edit.
// One reader per object codec: named loads and an object literal (fast), falling back to the
// plan-driven readObject for objects that are not plain JSON objects (own keys only).
import { WebhookContactPayload } from '../../codecs/webhook/contact.js'
import { WebhookChannelPayload, WebhookConversationPayload } from '../../codecs/webhook/conversation.js'
import * as data from '../../codecs/webhook/event-data.js'
import { WebhookMessageContentPayload, WebhookMessagePayload } from '../../codecs/webhook/message.js'
${appendKeyImport}import { countKeys, isObject, type Obj, reportUnknownKeys } from '../read-fields.js'
import type { Report } from '../report.js'
import { type Field, type Finisher, planOf } from './read-plan.js'
import { fastPath, readDate, readObject, readValue } from './read-webhook-object.js'

const codecs = { WebhookContactPayload, WebhookChannelPayload, WebhookConversationPayload, WebhookMessageContentPayload, WebhookMessagePayload, ...data }

${imports.map((name) => `const ${planConst({ name } as Plan)} = planOf(codecs.${name})`).join('\n')}

${body}

/** The reader of each known event's \`data\`, by event name. */
export const DATA_READERS: Readonly<Record<string, (o: Obj, base: string, r: Report) => Record<string, unknown>>> = Object.assign(Object.create(null), {
${dataReaders}
})
`
}

/** The source formatted as the repository's Biome settings format it. */
export function formattedWebhookReadersSource(): string {
  const run = spawnSync('npx', ['biome', 'format', `--stdin-file-path=${FAST_READERS_PATH}`], {
    input: webhookReadersSource(),
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`biome format failed: ${run.stderr}`)
  return run.stdout
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FAST_READERS_PATH, formattedWebhookReadersSource())
  console.log(`wrote ${FAST_READERS_PATH}`)
}
