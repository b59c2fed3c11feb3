import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const probe = fileURLToPath(new URL('../../src/codecs/__hover-probe__.ts', import.meta.url))

/**
 * The printed types of a few expressions over the codecs, as an editor hover or a compiler
 * error shows them: checked with the TypeScript checker on a small in-memory file.
 */
function printedTypes(expressions: Record<string, string>): Record<string, string> {
  const source = [
    "import type * as t from 'io-ts'",
    "import { ConversationPayload, LegacyConversationPayload, MessagePayload } from './index.js'",
    ...Object.entries(expressions).map(([name, type]) => `export type ${name} = ${type}`),
    ...Object.keys(expressions).map((name) => `export declare const probe_${name}: ${name}`),
  ].join('\n')
  const config = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile)
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options
  const host = ts.createCompilerHost({ ...options, noEmit: true })
  const readFile = host.readFile
  host.readFile = (file) => (file === probe ? source : readFile(file))
  const fileExists = host.fileExists
  host.fileExists = (file) => file === probe || fileExists(file)
  const getSourceFile = host.getSourceFile
  host.getSourceFile = (file, language) =>
    file === probe ? ts.createSourceFile(file, source, language) : getSourceFile(file, language)
  const program = ts.createProgram([probe], { ...options, noEmit: true }, host)
  const checker = program.getTypeChecker()
  const file = program.getSourceFile(probe)
  if (file === undefined) throw new Error('probe not loaded')
  const out: Record<string, string> = {}
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue
    const decl = statement.declarationList.declarations[0]
    if (decl === undefined) continue
    const name = decl.name.getText(file).replace('probe_', '')
    // The declared alias resolves to its target, printed as a hover shows it.
    const type = checker.getTypeAtLocation(decl.type as ts.TypeNode)
    out[name] = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation)
  }
  return out
}

describe('codec types read as names in hovers and errors', () => {
  it('a decoded payload names its parts, not their structure', () => {
    const printed = printedTypes({
      Decoded: 't.TypeOf<typeof ConversationPayload>',
      Visitor: "t.TypeOf<typeof ConversationPayload>['visitor']",
      Channel: "t.TypeOf<typeof ConversationPayload>['channel']",
      Messages: "t.TypeOf<typeof ConversationPayload>['messages']",
      Message: 't.TypeOf<typeof MessagePayload>',
      Variables: "t.TypeOf<typeof ConversationPayload>['visitor']['variables']",
      Paths: "t.TypeOf<typeof ConversationPayload>['paths']",
      LegacyVisitor: "t.TypeOf<typeof LegacyConversationPayload>['visitor']",
    })
    expect(printed).toEqual({
      Decoded: 'ConversationPayload',
      Visitor: 'VisitorPayload',
      Channel: 'ChannelPayload',
      Messages: 'MessagePayload[]',
      Message: 'MessagePayload',
      Variables: '{ [x: string]: VisitorVariablePayload; }',
      Paths: 'PathPayload[]',
      LegacyVisitor: 'LegacyVisitorPayload',
    })
    // A whole TypeScript program: seconds on a busy machine.
  }, 60_000)
})
