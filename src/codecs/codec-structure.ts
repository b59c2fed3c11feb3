import * as t from 'io-ts'

/** A JSON Schema (draft 2020-12) object, as plain JSON data. */
export type JsonSchema = { readonly [keyword: string]: unknown }

/**
 * How to generate values of a custom leaf codec, as data (the codecs never load fast-check):
 * a safe integer in `[min, max]`, `prefix` followed by a non-empty text or a canonical
 * natural number (`"agent:" + 3`), or an instant in `[min, max]` epoch milliseconds written as
 * an ISO 8601 date-time (`Date#toISOString`).
 */
export type LeafSample =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'prefixed'; readonly prefix: string; readonly rest: 'text' | 'natural' }
  | { readonly kind: 'isoTimestamp'; readonly min: number; readonly max: number }

/**
 * What a custom leaf codec (a `new t.Type` with its own `is`, such as `Integer` or `VisitorRef`)
 * accepts, said in the two forms the derived artefacts need: the JSON Schema of its values and
 * how to generate them. Set once, where the codec is defined, with `annotateLeaf`.
 */
export interface LeafAnnotation {
  readonly jsonSchema: JsonSchema
  readonly sample: LeafSample
}

/**
 * The structure of a codec, normalised for the walkers that derive arbitraries, JSON Schema,
 * key lists and fingerprints from it (internal).
 */
export type CodecNode =
  | {
      readonly kind: 'object'
      readonly name: string
      readonly required: t.Props
      readonly optional: t.Props
      /** true for `closedObject`: undeclared keys are refused. */
      readonly closed: boolean
    }
  | { readonly kind: 'union'; readonly name: string; readonly members: readonly t.Mixed[] }
  | {
      readonly kind: 'literal'
      readonly name: string
      readonly values: readonly (string | number | boolean | null)[]
    }
  | { readonly kind: 'array'; readonly name: string; readonly item: t.Mixed }
  | { readonly kind: 'record'; readonly name: string; readonly value: t.Mixed }
  | { readonly kind: 'string' | 'number' | 'boolean'; readonly name: string }
  /** `t.unknown`: any JSON value. */
  | { readonly kind: 'unknown'; readonly name: string }
  | { readonly kind: 'leaf'; readonly name: string; readonly annotation: LeafAnnotation }

const leaves = new WeakMap<t.Any, LeafAnnotation>()
const closedObjects = new WeakMap<t.Any, { readonly required: t.Props; readonly optional: t.Props }>()

/** Records how a custom leaf codec is generated and described; returns the codec itself. */
export function annotateLeaf<C extends t.Any>(codec: C, annotation: LeafAnnotation): C {
  leaves.set(codec, annotation)
  return codec
}

/** Records that a codec is a closed object with these props (called by `closedObject`). */
export function registerClosedObject<C extends t.Any>(codec: C, required: t.Props, optional: t.Props): C {
  closedObjects.set(codec, { required, optional })
  return codec
}

/** The io-ts fields the walker reads; `_tag` is present on io-ts's own codec classes. */
interface Tagged {
  readonly _tag?: string
  readonly name: string
  readonly props?: t.Props
  readonly types?: readonly t.Mixed[]
  readonly type?: t.Mixed
  readonly value?: string | number | boolean
  readonly keys?: Record<string, unknown>
  readonly domain?: t.Mixed
  readonly codomain?: t.Mixed
}

/**
 * The structure of `codec`: closed objects, `t.type` / `t.partial` / `t.intersection` of them,
 * unions, literals, `t.keyof`, `t.null`, `t.unknown`, arrays (`t.UnknownArray` too), string-keyed records (`t.UnknownRecord` too), `t.readonly` / `t.exact`,
 * the primitives, and custom leaves annotated with `annotateLeaf`. Throws, naming the codec,
 * for anything else: a derived artefact must never silently skip a field.
 */
export function codecNode(codec: t.Any): CodecNode {
  const leaf = leaves.get(codec)
  if (leaf !== undefined) return { kind: 'leaf', name: codec.name, annotation: leaf }
  const closed = closedObjects.get(codec)
  if (closed !== undefined) return { kind: 'object', name: codec.name, closed: true, ...closed }
  const c = codec as unknown as Tagged
  switch (c._tag) {
    case 'StringType':
      return { kind: 'string', name: c.name }
    case 'NumberType':
      return { kind: 'number', name: c.name }
    case 'BooleanType':
      return { kind: 'boolean', name: c.name }
    case 'UnknownType':
      return { kind: 'unknown', name: c.name }
    case 'NullType':
      return { kind: 'literal', name: c.name, values: [null] }
    case 'LiteralType':
      return { kind: 'literal', name: c.name, values: [c.value as string | number | boolean] }
    case 'KeyofType':
      return { kind: 'literal', name: c.name, values: Object.keys(c.keys ?? {}) }
    case 'UnionType':
      return { kind: 'union', name: c.name, members: c.types ?? [] }
    // `t.UnknownArray` and `t.UnknownRecord`: containers of any JSON values.
    case 'AnyArrayType':
      return { kind: 'array', name: c.name, item: t.unknown }
    case 'AnyDictionaryType':
      return { kind: 'record', name: c.name, value: t.unknown }
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return { kind: 'array', name: c.name, item: c.type as t.Mixed }
    case 'DictionaryType': {
      const domain = c.domain as unknown as Tagged
      if (domain._tag !== 'StringType') break
      return { kind: 'record', name: c.name, value: c.codomain as t.Mixed }
    }
    case 'InterfaceType':
      return { kind: 'object', name: c.name, required: c.props ?? {}, optional: {}, closed: false }
    case 'PartialType':
      return { kind: 'object', name: c.name, required: {}, optional: c.props ?? {}, closed: false }
    case 'IntersectionType': {
      const parts = (c.types ?? []).map(codecNode)
      if (!parts.every((p) => p.kind === 'object')) break
      const required: Record<string, t.Mixed> = {}
      const optional: Record<string, t.Mixed> = {}
      for (const p of parts) {
        if (p.kind !== 'object') continue
        Object.assign(required, p.required)
        Object.assign(optional, p.optional)
      }
      return { kind: 'object', name: c.name, required, optional, closed: false }
    }
    case 'ReadonlyType':
    case 'ExactType':
      return codecNode(c.type as t.Mixed)
  }
  throw new TypeError(
    `smartsupp-hook: cannot derive from codec ${codec.name}: annotate it with annotateLeaf where it is defined`,
  )
}

/** The keys of an object node in order: required ones first, then optional ones. */
export function objectKeys(node: Extract<CodecNode, { kind: 'object' }>): string[] {
  return [...Object.keys(node.required), ...Object.keys(node.optional)]
}

/**
 * Every key an object value may carry where `codec` stands (the union of its members' keys,
 * through arrays and records), in first-seen order; `undefined` if no object stands there.
 */
export function documentedKeys(...codecs: readonly t.Any[]): ReadonlySet<string> {
  const keys = new Set<string>()
  const visit = (codec: t.Any) => {
    const node = codecNode(codec)
    if (node.kind === 'object') for (const k of objectKeys(node)) keys.add(k)
    else if (node.kind === 'union') node.members.forEach(visit)
  }
  codecs.forEach(visit)
  return keys
}

/**
 * The codec of `key` in an object value where `codec` stands: the first member of a union that
 * declares it, or `undefined` when none does.
 */
export function fieldCodec(codec: t.Any, key: string): t.Mixed | undefined {
  const node = codecNode(codec)
  if (node.kind === 'object') {
    if (Object.hasOwn(node.required, key)) return node.required[key]
    if (Object.hasOwn(node.optional, key)) return node.optional[key]
    return undefined
  }
  if (node.kind === 'union') {
    for (const m of node.members) {
      const found = fieldCodec(m, key)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * Every documented field under `codec` as a wire path (`channel.rating`, `messages[].from`,
 * `visitor.variables.*.label`), parents before children, each once.
 */
export function documentedPaths(codec: t.Any, base = ''): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`)
  const visit = (c: t.Any, path: string) => {
    const node = codecNode(c)
    switch (node.kind) {
      case 'object':
        for (const key of objectKeys(node)) {
          const child = join(path, key)
          if (!seen.has(child)) {
            seen.add(child)
            out.push(child)
          }
          visit((node.required[key] ?? node.optional[key]) as t.Mixed, child)
        }
        return
      case 'union':
        for (const m of node.members) visit(m, path)
        return
      case 'array':
        return visit(node.item, `${path}[]`)
      case 'record':
        return visit(node.value, `${path}.*`)
      default:
        return
    }
  }
  visit(codec, base)
  return out
}
