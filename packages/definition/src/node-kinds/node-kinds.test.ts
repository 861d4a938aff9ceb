import { describe, expect, it } from 'vitest'
import { applyConfigDefaults, validateNodeConfig } from '../node-config.ts'
import { COMPONENT_TYPES, expressionFieldValues, NODE_CATEGORIES, outputHandles } from '../node-kind.ts'
import { isIdentifier } from '../patterns.ts'
import { branchSwitchKind, getNodeKind, httpRequestKind, isNodeKindId, nodeKinds, signalWaitKind, triggerScheduleKind } from './index.ts'

const KIND_IDS = [
  'trigger.manual',
  'trigger.webhook',
  'trigger.schedule',
  'http.request',
  'transform',
  'branch.if',
  'branch.switch',
  'flow.parallel',
  'flow.join',
  'flow.forEach',
  'flow.delay',
  'signal.wait',
  'queue.process',
  'workflow.child',
  'signal.parent',
  'query.parent',
  'ai.agent',
  'output.end',
]

describe('nodeKinds', () => {
  it('lists exactly the built-in kinds, each once', () => {
    expect(nodeKinds.map((k) => k.kind)).toEqual(KIND_IDS)
    for (const id of KIND_IDS) {
      expect(getNodeKind(id)?.kind).toBe(id)
      expect(isNodeKindId(id)).toBe(true)
    }
    expect(getNodeKind('nope')).toBeUndefined()
  })

  it.each(nodeKinds.map((k) => [k.kind, k] as const))('%s is a consistent, JSON-friendly descriptor', (_, descriptor) => {
    expect(NODE_CATEGORIES).toContain(descriptor.category)
    expect(COMPONENT_TYPES).toContain(descriptor.componentType)
    expect(descriptor.version).toBeGreaterThanOrEqual(1)
    expect(descriptor.inputs).toBe(descriptor.category === 'trigger' ? 0 : 1)
    expect(descriptor.icon).not.toBe('')
    // The config schema renders in a JSON Schema form library: plain JSON, an object with a title.
    const schema = JSON.parse(JSON.stringify(descriptor.configSchema)) as Record<string, any>
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false, title: expect.any(String) })
    expect(JSON.parse(JSON.stringify(descriptor.outputSchema))).toBeTypeOf('object')
    // Expression fields name real properties.
    for (const field of descriptor.expressionFields) {
      expect(schema['properties']).toHaveProperty(field.split('.')[0] as string)
    }
    if (Array.isArray(descriptor.outputs)) {
      for (const handle of descriptor.outputs) expect(isIdentifier(handle.id)).toBe(true)
    }
    if (descriptor.category === 'trigger') expect(descriptor.componentType).toBe('trigger')
  })

  it('places I/O in activities and logic in the workflow', () => {
    const inActivities = nodeKinds.filter((k) => k.runsIn === 'activity').map((k) => k.kind)
    expect(inActivities.sort()).toEqual(['ai.agent', 'http.request'])
    expect(getNodeKind('ai.agent').componentType).toBe('agent')
    expect(getNodeKind('signal.wait').componentType).toBe('signal')
  })
})

describe('outputs', () => {
  it('gives branch.switch one handle per case plus default', () => {
    const handles = outputHandles(branchSwitchKind, {
      value: '{{ input.tier }}',
      cases: [
        { id: 'gold', label: 'Gold', equals: 'gold' },
        { id: 'silver', label: '', equals: 'silver' },
      ],
    })
    expect(handles).toEqual([
      { id: 'gold', label: 'Gold', required: true },
      { id: 'silver', label: 'silver', required: true },
      { id: 'default', label: 'Default', required: true },
    ])
  })

  it('gives signal.wait a timeout handle only with timeoutSeconds', () => {
    expect(outputHandles(signalWaitKind, { signalName: 'go' }).map((h) => h.id)).toEqual(['received'])
    expect(outputHandles(signalWaitKind, { signalName: 'go', timeoutSeconds: 60 }).map((h) => h.id)).toEqual(['received', 'timeout'])
  })
})

describe('validateNodeConfig', () => {
  it('reports schema problems with config field paths', () => {
    expect(validateNodeConfig(httpRequestKind, { url: '', timeoutMs: 120_000, bogus: 1, headers: { 'X-A': 1 } })).toEqual(
      expect.arrayContaining([
        { field: 'config.url', code: 'invalid_config', message: expect.any(String) },
        { field: 'config.timeoutMs', code: 'invalid_config', message: expect.stringContaining('60000') },
        { field: 'config.bogus', code: 'invalid_config', message: 'is not an allowed property' },
        { field: 'config.headers.X-A', code: 'invalid_config', message: expect.stringContaining('string') },
      ]),
    )
    expect(validateNodeConfig(httpRequestKind, 'nope')).toEqual([{ field: 'config', code: 'invalid_config', message: 'must be an object' }])
  })

  it('runs kind checks once the schema passes', () => {
    expect(validateNodeConfig(httpRequestKind, { url: 'ftp://example.com' })).toEqual([
      { field: 'config.url', code: 'invalid_config', message: expect.stringContaining('http') },
    ])
    expect(validateNodeConfig(httpRequestKind, { url: '{{ input.url }}', method: 'GET', body: 'x' })).toEqual([
      { field: 'config.body', code: 'invalid_config', message: 'a GET request cannot have a body' },
    ])
    expect(validateNodeConfig(getNodeKind('ai.agent'), { model: 'm' })).toEqual([
      { field: 'config.prompt', code: 'invalid_config', message: expect.stringContaining('required') },
    ])
    expect(
      validateNodeConfig(getNodeKind('ai.agent'), { model: 'm', prompt: 'x', promptId: '6f1c0c5e-8d55-4a7e-9d53-5a7c2a1b9e10' }),
    ).toHaveLength(1)
    expect(validateNodeConfig(getNodeKind('ai.agent'), { model: 'm', promptId: 'not-a-uuid' })).toEqual([
      { field: 'config.promptId', code: 'invalid_config', message: expect.stringContaining('uuid') },
    ])
    expect(validateNodeConfig(getNodeKind('flow.delay'), { duration: '0s' })).toEqual([
      { field: 'config.duration', code: 'invalid_config', message: 'must be longer than 0s' },
    ])
    expect(validateNodeConfig(getNodeKind('flow.delay'), { duration: '5 minutes' })[0]?.field).toBe('config.duration')
    expect(
      validateNodeConfig(branchSwitchKind, {
        value: '{{ 1 }}',
        cases: [
          { id: 'a', label: 'A', equals: 1 },
          { id: 'a', label: 'A again', equals: 2 },
          { id: 'default', label: 'D', equals: 3 },
        ],
      }).map((issue) => issue.field),
    ).toEqual(['config.cases[1].id', 'config.cases[2].id'])
  })

  it('validates cron expressions and time zones with cron-parser’s messages', () => {
    expect(validateNodeConfig(triggerScheduleKind, { cron: '0 9 * * mon-fri', timezone: 'Europe/Paris' })).toEqual([])
    expect(validateNodeConfig(triggerScheduleKind, { cron: '61 * * * *' })).toEqual([
      { field: 'config.cron', code: 'invalid_cron', message: 'Constraint error, got value 61 expected range 0-59' },
    ])
    expect(validateNodeConfig(triggerScheduleKind, { cron: '0 0 * * * *' })[0]?.message).toMatch(/expected 5 fields/)
    expect(validateNodeConfig(triggerScheduleKind, { cron: '* * * * *', timezone: 'Mars/Olympus' })).toEqual([
      { field: 'config.timezone', code: 'invalid_timezone', message: 'unknown time zone "Mars/Olympus"' },
    ])
  })
})

describe('config helpers', () => {
  it('fills defaults without touching the input', () => {
    const config = { url: 'https://example.com' }
    expect(applyConfigDefaults(httpRequestKind, config)).toEqual({
      url: 'https://example.com',
      method: 'GET',
      timeoutMs: 10_000,
      maxResponseBytes: 1_048_576,
      responseType: 'json',
    })
    expect(config).toEqual({ url: 'https://example.com' })
  })

  it('lists expression field values, expanding wildcards', () => {
    const values = expressionFieldValues(httpRequestKind, {
      url: 'https://x/{{ input.id }}',
      headers: { Authorization: 'Bearer {{ input.token }}', 'Content Type': 'json' },
      body: { literal: true },
    })
    expect(values.map((v) => v.field)).toEqual(['config.url', 'config.headers.Authorization', 'config.headers["Content Type"]'])
  })
})
