import { describe, expect, it } from 'vitest'
import {
  evaluateTemplate,
  ExpressionError,
  type ExpressionContext,
  isExpression,
  parseTemplate,
  referencedSteps,
  templateReferences,
  templateSyntaxError,
} from './expressions.ts'
import { isTruthy, jsonEquals } from './json-values.ts'
import { resolveConfig } from './node-config.ts'
import { httpRequestKind } from './node-kinds/index.ts'

const context: ExpressionContext = {
  input: { name: 'Ada', tasks: ['a', 'b', 'c'], address: { city: 'London' } },
  steps: {
    fetch: { output: { status: 200, body: { items: [{ id: 1 }, { id: 2 }] } } },
    'http-1': { output: 'dashed' },
  },
  run: { id: 'run-42' },
}

describe('isExpression', () => {
  it('detects templates', () => {
    expect(isExpression('{{ input.name }}')).toBe(true)
    expect(isExpression('Hi {{ input.name }}')).toBe(true)
    expect(isExpression('plain')).toBe(false)
    expect(isExpression(42)).toBe(false)
  })
})

describe('parseTemplate', () => {
  it('splits text and expressions, respecting nested braces and strings', () => {
    expect(parseTemplate('Hi {{ input.name }}!')).toEqual([
      { type: 'text', value: 'Hi ', start: 0, end: 3 },
      { type: 'expression', source: ' input.name ', start: 3, end: 19 },
      { type: 'text', value: '!', start: 19, end: 20 },
    ])
    expect(parseTemplate('{{ {"a": {"b": "}}"}} }}')).toEqual([
      { type: 'expression', source: ' {"a": {"b": "}}"}} ', start: 0, end: 24 },
    ])
  })

  it('throws on an unclosed {{', () => {
    expect(() => parseTemplate('x {{ input')).toThrow(ExpressionError)
  })
})

describe('evaluateTemplate', () => {
  it('returns the raw value for a lone expression', async () => {
    expect(await evaluateTemplate('{{ steps.fetch.output.body.items }}', context)).toEqual([{ id: 1 }, { id: 2 }])
    expect(await evaluateTemplate('  {{ steps.fetch.output.status }} ', context)).toBe(200)
    expect(await evaluateTemplate('{{ steps.fetch.output.body.items.id }}', context)).toEqual([1, 2])
    expect(await evaluateTemplate('{{ input.missing }}', context)).toBeUndefined()
    expect(await evaluateTemplate('{{ {"n": $count(input.tasks)} }}', context)).toEqual({ n: 3 })
  })

  it('returns plain arrays (not JSONata sequences)', async () => {
    const value = await evaluateTemplate('{{ input.tasks[$ != "b"] }}', context)
    expect(value).toEqual(['a', 'c'])
    expect(Object.keys(value as object)).toEqual(['0', '1'])
  })

  it('interpolates mixed text', async () => {
    expect(await evaluateTemplate('Hello {{ input.name }}, {{ $count(input.tasks) }} tasks', context)).toBe('Hello Ada, 3 tasks')
    expect(await evaluateTemplate('addr={{ input.address }} none={{ input.missing }}', context)).toBe('addr={"city":"London"} none=')
    expect(await evaluateTemplate('run {{ run.id }}', context)).toBe('run run-42')
  })

  it('returns literal strings unchanged', async () => {
    expect(await evaluateTemplate('no braces here', context)).toBe('no braces here')
  })

  it('reads loop variables and backticked ids', async () => {
    expect(await evaluateTemplate('{{ item.id }}#{{ index }}', { ...context, item: { id: 7 }, index: 0 })).toBe('7#0')
    expect(await evaluateTemplate('{{ steps.`http-1`.output }}', context)).toBe('dashed')
  })

  it('names the node and field in syntax errors', async () => {
    const error = await evaluateTemplate('{{ input.a + }}', context, { nodeId: 'shape', field: 'config.mapping.total' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExpressionError)
    expect(error).toMatchObject({ code: 'expression_syntax', nodeId: 'shape', field: 'config.mapping.total', jsonataCode: 'S0207' })
    expect((error as Error).message).toMatch(/^node "shape", config.mapping.total: /)
  })

  it('names the node and field in evaluation errors', async () => {
    const error = await evaluateTemplate('{{ input.name + 1 }}', context, { nodeId: 'calc', field: 'config.value' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'ExpressionError',
      code: 'expression_evaluation',
      nodeId: 'calc',
      field: 'config.value',
      expression: 'input.name + 1',
      jsonataCode: 'T2001',
    })
  })

  it('rejects empty expressions', () => {
    expect(templateSyntaxError('{{ }}')?.code).toBe('expression_syntax')
    expect(templateSyntaxError('{{ input.a }}')).toBeUndefined()
  })
})

describe('referencedSteps', () => {
  it('finds every way of naming a step, once, in order', () => {
    expect(
      referencedSteps(
        '{{ steps.fetch.output.body }} {{ steps["parse"].output }} {{ steps.`http-1`.output }} {{ $lookup(steps, "look") }} {{ $$.steps.root.output }} {{ $map(input.xs, function($x) { steps.inner.output }) }} {{ steps.fetch.output.status }}',
      ),
    ).toEqual(['fetch', 'parse', 'http-1', 'look', 'root', 'inner'])
  })

  it('ignores strings, other roots and nested names', () => {
    expect(referencedSteps('steps.text {{ "steps.quoted" }} {{ input.steps.nested }} {{ steps }}')).toEqual([])
  })

  it('reports how each step is named and which roots are read', () => {
    expect(templateReferences('{{ item.id }} {{ steps["a"].output }} {{ input.list[item = 1] }} {{ $$.index }}')).toEqual({
      steps: [{ stepId: 'a', via: 'bracket' }],
      roots: ['item', 'steps', 'input', 'index'],
    })
  })

  it('throws on syntax errors', () => {
    expect(() => referencedSteps('{{ steps. }}')).toThrow(ExpressionError)
  })
})

describe('resolveConfig', () => {
  it('applies defaults and evaluates expression fields', async () => {
    const config = {
      url: 'https://api.example.com/{{ input.name }}',
      headers: { 'X-Run': '{{ run.id }}', Accept: 'application/json' },
      body: '{{ input.address }}',
    }
    expect(await resolveConfig(httpRequestKind, config, context, { nodeId: 'fetch' })).toEqual({
      url: 'https://api.example.com/Ada',
      method: 'GET',
      headers: { 'X-Run': 'run-42', Accept: 'application/json' },
      body: { city: 'London' },
      timeoutMs: 10_000,
      maxResponseBytes: 1_048_576,
      responseType: 'json',
    })
    expect(config.url).toContain('{{')
  })

  it('reports the failing field', async () => {
    await expect(resolveConfig(httpRequestKind, { url: '{{ $nope() }}' }, context, { nodeId: 'fetch' })).rejects.toMatchObject({
      nodeId: 'fetch',
      field: 'config.url',
    })
  })
})

describe('value semantics', () => {
  it('casts like JSONata $boolean', () => {
    expect([true, 1, 'x', [0, 1], { a: 1 }].map(isTruthy)).toEqual([true, true, true, true, true])
    expect([false, 0, '', [], [0, ''], {}, null, undefined].map(isTruthy)).toEqual(Array(8).fill(false))
  })

  it('compares JSON deeply', () => {
    expect(jsonEquals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true)
    expect(jsonEquals({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true)
    expect(jsonEquals([1], { 0: 1 })).toBe(false)
    expect(jsonEquals(1, '1')).toBe(false)
  })
})
