/**
 * Templates: strings with `{{ ... }}` parts holding JSONata expressions.
 *
 * Determinism: evaluation is pure computation over the context object. JSONata's `$now()`,
 * `$millis()` and `$random()` read `Date` and `Math.random`, which the Temporal workflow sandbox
 * replaces with deterministic (replay-safe) versions, so templates evaluated in workflow code
 * replay identically. Nothing in this module does I/O.
 */
import jsonata from 'jsonata'

/**
 * What expressions can read: `input` (run input), `steps.<nodeId>.output`, `item` and `index`
 * inside a `flow.forEach` body, and `run.id`.
 *
 * @example
 * const context: ExpressionContext = { input: { name: 'Ada' }, steps: { fetch: { output: { status: 200 } } }, run: { id: 'run-1' } }
 */
export interface ExpressionContext {
  input: unknown
  steps: Record<string, { output: unknown }>
  item?: unknown
  index?: number
  run: { id: string }
}

/** A piece of a template: literal text or one `{{ expression }}` (`source` is the text between the braces). */
export type TemplatePart =
  | { type: 'text'; value: string; start: number; end: number }
  | { type: 'expression'; source: string; start: number; end: number }

/** Where an expression lives, attached to errors. */
export interface ExpressionLocation {
  nodeId?: string
  field?: string
}

/**
 * Error raised for templates that do not parse (`expression_syntax`) or fail to evaluate
 * (`expression_evaluation`), located by `nodeId` and `field` when the caller gave them.
 *
 * @example
 * try {
 *   await evaluateTemplate('{{ input.a + }}', context, { nodeId: 'shape', field: 'config.mapping.total' })
 * } catch (error) {
 *   if (error instanceof ExpressionError) markField(error.nodeId, error.field, error.detail)
 * }
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError'
  readonly code: 'expression_syntax' | 'expression_evaluation'
  readonly nodeId: string | undefined
  readonly field: string | undefined
  /** The template (syntax errors) or the failing expression source (evaluation errors). */
  readonly expression: string
  /** Offset in the template where the problem was detected, when known. */
  readonly position: number | undefined
  /** JSONata error code such as `S0201` or `T2002`, when the error came from JSONata. */
  readonly jsonataCode: string | undefined
  /** The message without the location prefix. */
  readonly detail: string

  constructor(options: {
    code: 'expression_syntax' | 'expression_evaluation'
    detail: string
    expression: string
    position?: number | undefined
    jsonataCode?: string | undefined
    location?: ExpressionLocation | undefined
  }) {
    const { nodeId, field } = options.location ?? {}
    const where = [nodeId === undefined ? '' : `node "${nodeId}"`, field ?? ''].filter((s) => s !== '').join(', ')
    super(where === '' ? options.detail : `${where}: ${options.detail}`)
    this.code = options.code
    this.detail = options.detail
    this.expression = options.expression
    this.position = options.position
    this.jsonataCode = options.jsonataCode
    this.nodeId = nodeId
    this.field = field
  }

  /** Returns a copy located at `location` (fields already set win). */
  at(location: ExpressionLocation): ExpressionError {
    return new ExpressionError({
      code: this.code,
      detail: this.detail,
      expression: this.expression,
      position: this.position,
      jsonataCode: this.jsonataCode,
      location: { nodeId: this.nodeId ?? location.nodeId, field: this.field ?? location.field },
    })
  }
}

/**
 * Whether a config value is a template to evaluate (a string containing `{{`). Other strings are
 * literals.
 *
 * @example
 * isExpression('{{ input.email }}') // true
 * isExpression('Hello {{ input.name }}!') // true
 * isExpression('plain text') // false
 */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{')
}

/** Finds the `}}` closing the expression opened at `from` (just after `{{`), skipping strings, comments and nested braces. */
function findClose(template: string, from: number): number {
  let depth = 0
  let quote: string | undefined
  for (let i = from; i < template.length; i++) {
    const c = template[i]
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === '"' || c === "'" || c === '`') quote = c
    else if (c === '/' && template[i + 1] === '*') {
      const end = template.indexOf('*/', i + 2)
      if (end < 0) return -1
      i = end + 1
    } else if (c === '{') depth++
    else if (c === '}') {
      if (depth > 0) depth--
      else if (template[i + 1] === '}') return i
    }
  }
  return -1
}

/**
 * Splits a template into text and expression parts. Braces, quotes and comments inside an
 * expression are respected, so `{{ {"a": {"b": 1}} }}` is one expression. There is no escape for
 * a literal `{{`; write `{{ "{{" }}`.
 *
 * @throws {ExpressionError} `expression_syntax` when a `{{` is never closed.
 * @example
 * parseTemplate('Hi {{ input.name }}!')
 * // [{ type: 'text', value: 'Hi ', start: 0, end: 3 },
 * //  { type: 'expression', source: ' input.name ', start: 3, end: 19 },
 * //  { type: 'text', value: '!', start: 19, end: 20 }]
 */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  let textStart = 0
  for (;;) {
    const open = template.indexOf('{{', textStart)
    if (open < 0) break
    const close = findClose(template, open + 2)
    if (close < 0) {
      throw new ExpressionError({
        code: 'expression_syntax',
        detail: `"{{" at position ${open} is never closed with "}}"`,
        expression: template,
        position: open,
      })
    }
    if (open > textStart) parts.push({ type: 'text', value: template.slice(textStart, open), start: textStart, end: open })
    parts.push({ type: 'expression', source: template.slice(open + 2, close), start: open, end: close + 2 })
    textStart = close + 2
  }
  if (textStart < template.length) {
    parts.push({ type: 'text', value: template.slice(textStart), start: textStart, end: template.length })
  }
  return parts
}

// Guard rails against runaway expressions. In the workflow sandbox Date.now() does not advance
// within an activation, so only the stack limit applies there; Temporal's deadlock detector
// covers the rest.
const JSONATA_OPTIONS = { stack: 500, timeout: 5_000 }

interface JsonataFailure {
  code?: unknown
  message?: unknown
  position?: unknown
}

function failureOf(error: unknown): { message: string; code: string | undefined; position: number | undefined } {
  const failure = (error ?? {}) as JsonataFailure
  return {
    message: typeof failure.message === 'string' && failure.message !== '' ? failure.message : String(error),
    code: typeof failure.code === 'string' ? failure.code : undefined,
    position: typeof failure.position === 'number' ? failure.position : undefined,
  }
}

interface CompiledPart {
  part: TemplatePart
  expression?: jsonata.Expression
}

interface CompiledTemplate {
  template: string
  parts: CompiledPart[]
  /** The template is one expression (plus whitespace): evaluates to the raw value. */
  raw: boolean
}

const MAX_CACHED = 1_000
const cache = new Map<string, CompiledTemplate>()

function compile(template: string): CompiledTemplate {
  const cached = cache.get(template)
  if (cached !== undefined) return cached
  const parts: CompiledPart[] = parseTemplate(template).map((part) => {
    if (part.type === 'text') return { part }
    if (part.source.trim() === '') {
      throw new ExpressionError({
        code: 'expression_syntax',
        detail: `empty expression at position ${part.start}`,
        expression: template,
        position: part.start,
      })
    }
    try {
      return { part, expression: jsonata(part.source, JSONATA_OPTIONS) }
    } catch (error) {
      const failure = failureOf(error)
      const position = failure.position === undefined ? part.start : part.start + 2 + failure.position
      throw new ExpressionError({
        code: 'expression_syntax',
        detail: `${failure.message} (at position ${position})`,
        expression: template,
        position,
        jsonataCode: failure.code,
      })
    }
  })
  const expressions = parts.filter((p) => p.part.type === 'expression')
  const raw = expressions.length === 1 && parts.every((p) => p.part.type === 'expression' || p.part.value.trim() === '')
  const compiled: CompiledTemplate = { template, parts, raw }
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next()
    if (oldest.done !== true) cache.delete(oldest.value)
  }
  cache.set(template, compiled)
  return compiled
}

/**
 * Checks that every expression in a template parses. Returns the error instead of throwing.
 *
 * @example
 * templateSyntaxError('{{ input.a + }}')?.code // 'expression_syntax'
 * templateSyntaxError('{{ input.a }}') // undefined
 */
export function templateSyntaxError(template: string, location?: ExpressionLocation): ExpressionError | undefined {
  try {
    compile(template)
    return undefined
  } catch (error) {
    if (error instanceof ExpressionError) return location === undefined ? error : error.at(location)
    throw error
  }
}

/** Copies JSONata results into plain JSON-ish values (JSONata marks arrays as sequences; lambdas are dropped). */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain)
  if (typeof value === 'function') return undefined
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item)
    return out
  }
  return value
}

function interpolate(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value) ?? ''
  if (typeof value === 'function') return ''
  return String(value)
}

/**
 * Evaluates a template against a context. A template that is exactly one `{{ expr }}` (surrounding
 * whitespace allowed) yields the expression's raw value (object, number, ...); otherwise the parts
 * are joined into a string, with `undefined`/`null` as empty text and objects as JSON. Strings
 * without `{{` are returned unchanged.
 *
 * @throws {ExpressionError} carrying `nodeId`/`field` from `location` when the template does not
 *   parse or an expression fails.
 * @example
 * await evaluateTemplate('{{ steps.fetch.output.body.items }}', context) // [ ... ] (the array itself)
 * await evaluateTemplate('Hello {{ input.name }}, you have {{ $count(input.tasks) }} tasks', context)
 * // 'Hello Ada, you have 3 tasks'
 */
export async function evaluateTemplate(
  template: string,
  context: ExpressionContext,
  location?: ExpressionLocation,
): Promise<unknown> {
  let compiled: CompiledTemplate
  try {
    compiled = compile(template)
  } catch (error) {
    if (error instanceof ExpressionError && location !== undefined) throw error.at(location)
    throw error
  }
  const run = async (part: CompiledPart): Promise<unknown> => {
    if (part.expression === undefined) return part.part.type === 'text' ? part.part.value : undefined
    try {
      return toPlain(await part.expression.evaluate(context))
    } catch (error) {
      const failure = failureOf(error)
      throw new ExpressionError({
        code: 'expression_evaluation',
        detail: failure.message,
        expression: part.part.type === 'expression' ? part.part.source.trim() : template,
        position: failure.position === undefined ? part.part.start : part.part.start + 2 + failure.position,
        jsonataCode: failure.code,
        location,
      })
    }
  }
  if (compiled.raw) {
    const only = compiled.parts.find((p) => p.expression !== undefined)
    return only === undefined ? template : run(only)
  }
  if (compiled.parts.every((p) => p.expression === undefined)) return template
  let out = ''
  for (const part of compiled.parts) {
    out += part.expression === undefined ? (part.part.type === 'text' ? part.part.value : '') : interpolate(await run(part))
  }
  return out
}

/** A reference to a step's output found in an expression. */
export interface StepReference {
  stepId: string
  /**
   * `path` for `steps.id` / ``steps.`id` ``, `lookup` for `$lookup(steps, "id")`, and `bracket` for
   * `steps["id"]`. Note that in JSONata `steps["id"]` is a filter, not a key lookup, and evaluates
   * to `steps` itself; `validateWorkflow` reports it.
   */
  via: 'path' | 'bracket' | 'lookup'
}

/** What a template reads from the context. */
export interface TemplateReferences {
  /** Step references in order of appearance (may repeat). */
  steps: StepReference[]
  /** Context roots read at the top level of an expression (`input`, `steps`, `item`, `index`, `run`, ...). */
  roots: string[]
}

/** A JSONata AST node; jsonata's own typings miss several node types (`path`, `filter`, ...). */
interface AstNode {
  type: string
  value?: unknown
  [key: string]: unknown
}

function isAstNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string'
}

function walkChildren(value: unknown, visit: (node: AstNode, relative: boolean) => void, relative: boolean): void {
  if (Array.isArray(value)) for (const item of value) walkChildren(item, visit, relative)
  else if (isAstNode(value)) visit(value, relative)
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) walkChildren(item, visit, relative)
  }
}

function collectReferences(ast: AstNode, into: TemplateReferences): void {
  const visit = (node: AstNode, relative: boolean): void => {
    if (node.type === 'path' && Array.isArray(node['steps'])) {
      const steps = node['steps'] as AstNode[]
      const first = steps[0]
      // `$$.x` always starts at the root; `$.x` does at the top level.
      const rootVariable = first?.type === 'variable' && (first.value === '$' || first.value === '') && steps.length > 1
      const head = rootVariable ? steps[1] : first
      const atRoot = rootVariable ? first?.value === '$' || !relative : !relative
      if (head?.type === 'name' && typeof head.value === 'string') {
        if (atRoot) into.roots.push(head.value)
        if (head.value === 'steps') {
          const stage = (head['stages'] as AstNode[] | undefined)?.[0]
          const filter = stage?.['expr'] as AstNode | undefined
          if (stage?.type === 'filter' && filter?.type === 'string' && typeof filter.value === 'string') {
            into.steps.push({ stepId: filter.value, via: 'bracket' })
          } else if (stage === undefined) {
            const next = steps[rootVariable ? 2 : 1]
            if (next?.type === 'name' && typeof next.value === 'string') into.steps.push({ stepId: next.value, via: 'path' })
          }
        }
      }
      steps.forEach((step, index) => {
        if (index === 0) {
          // The first step is evaluated in the enclosing context; its filters are relative.
          for (const [key, child] of Object.entries(step)) {
            walkChildren(child, visit, key === 'stages' || key === 'predicate' || key === 'group' ? true : relative)
          }
        } else walkChildren(step, visit, true)
      })
      for (const [key, child] of Object.entries(node)) if (key !== 'steps') walkChildren(child, visit, true)
      return
    }
    if (node.type === 'function' && isAstNode(node['procedure']) && node['procedure'].type === 'variable' && node['procedure'].value === 'lookup') {
      const [target, key] = ((node['arguments'] as AstNode[] | undefined) ?? [])
      const targetSteps = target?.type === 'path' ? (target['steps'] as AstNode[] | undefined) : undefined
      if (targetSteps?.length === 1 && targetSteps[0]?.value === 'steps' && key?.type === 'string' && typeof key.value === 'string') {
        into.steps.push({ stepId: key.value, via: 'lookup' })
      }
    }
    for (const [key, child] of Object.entries(node)) {
      walkChildren(child, visit, key === 'predicate' || key === 'stages' || key === 'group' ? true : relative)
    }
  }
  visit(ast, false)
}

/**
 * Lists what a template reads: step references (from the JSONata AST, so strings and comments
 * never count) and top-level context roots.
 *
 * @throws {ExpressionError} `expression_syntax` when the template does not parse.
 * @example
 * templateReferences('{{ item.id }}: {{ steps.fetch.output.status }}')
 * // { steps: [{ stepId: 'fetch', via: 'path' }], roots: ['item', 'steps'] }
 */
export function templateReferences(template: string): TemplateReferences {
  const references: TemplateReferences = { steps: [], roots: [] }
  for (const part of compile(template).parts) {
    if (part.expression !== undefined) collectReferences(part.expression.ast() as unknown as AstNode, references)
  }
  return references
}

/**
 * The ids of the steps a template reads (`steps.<id>`, ``steps.`<id>` ``, `steps["<id>"]`,
 * `$lookup(steps, "<id>")`, also after `$$.`), without duplicates, in order of appearance.
 * Over-approximates: a `steps.x` path inside a filter counts even though it is relative there.
 *
 * @throws {ExpressionError} `expression_syntax` when the template does not parse.
 * @example
 * referencedSteps('{{ steps.fetch.output.body }} and {{ steps["parse"].output }}') // ['fetch', 'parse']
 */
export function referencedSteps(template: string): string[] {
  return [...new Set(templateReferences(template).steps.map((reference) => reference.stepId))]
}
