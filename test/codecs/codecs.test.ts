import { PathReporter } from 'io-ts/lib/PathReporter.js'
import { describe, expect, it } from 'vitest'
import {
  AgentMessagePayload,
  ChannelPayload,
  ConversationPayload,
  EpochMillis,
  Integer,
  MessagePayload,
  PathPayload,
  SenderRef,
  SystemMessagePayload,
  VisitorMessagePayload,
  VisitorPayload,
  VisitorVariablePayload,
} from '../../src/index.js'
import { documentedExample } from '../support/payloads.js'

describe('codecs', () => {
  it('accept every part of the documented example', () => {
    const p = documentedExample()
    expect(ConversationPayload.is(p)).toBe(true)
    expect(ChannelPayload.is(p.channel)).toBe(true)
    expect(VisitorPayload.is(p.visitor)).toBe(true)
    expect(VisitorVariablePayload.is(p.visitor.variables.chatId)).toBe(true)
    expect(PathPayload.is(p.paths[0])).toBe(true)
    expect(p.messages.every(MessagePayload.is)).toBe(true)
    expect(VisitorMessagePayload.is(p.messages[0])).toBe(true)
    expect(SystemMessagePayload.is(p.messages[1])).toBe(true)
    expect(AgentMessagePayload.is(p.messages[2])).toBe(true)
    expect(AgentMessagePayload.is(p.messages[3])).toBe(true)
  })

  it('have names that read well in io-ts errors', () => {
    const p = documentedExample()
    p.channel.rating = 'five'
    p.messages[0].sentAt = 1.5
    p.channel.extra = true
    const messages = PathReporter.report(ConversationPayload.decode(p)).join('\n')
    expect(messages).toContain('ConversationPayload')
    expect(messages).toContain('ChannelPayload')
    expect(messages).toContain('Integer | null')
    expect(messages).toContain('EpochMillis')
    expect(messages).toContain('unknown field "extra"')
  })

  it('reject unknown keys (the strict contract) and accept an absent message name', () => {
    const p = documentedExample()
    expect(PathPayload.is({ ...p.paths[0], x: 1 })).toBe(false)
    expect(ChannelPayload.decode({ ...p.channel, x: 1 })._tag).toBe('Left')
    expect(MessagePayload.is(p.messages[0])).toBe(true)
    expect('name' in p.messages[0]).toBe(false)
  })

  it('read integers and timestamps precisely', () => {
    expect(Integer.is(3)).toBe(true)
    expect(Integer.is(3.5)).toBe(false)
    expect(Integer.is(2 ** 53)).toBe(false)
    expect(EpochMillis.is(8.64e15)).toBe(true)
    expect(EpochMillis.is(8.64e15 + 1)).toBe(false)
    expect(EpochMillis.is('1427470439703')).toBe(false)
  })

  it('read sender references in the current form only', () => {
    expect(['visitor:abc', 'agent:3', 'agent:0', 'system'].every(SenderRef.is)).toBe(true)
    expect(['visitor:', 'agent:03', 'agent:x', 'agent:-1', 'System', 3, null].some(SenderRef.is)).toBe(false)
  })

  it('match the message type with its sender', () => {
    const m = documentedExample().messages[0]
    expect(MessagePayload.is({ ...m, from: 'agent:3' })).toBe(false)
    expect(MessagePayload.is({ ...m, type: 'agent', from: 'visitor:x' })).toBe(false)
    expect(MessagePayload.is({ ...m, type: 'system', from: 'visitor:x' })).toBe(true)
  })
})
