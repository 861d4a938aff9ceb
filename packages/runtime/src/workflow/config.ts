/**
 * Node config resolution inside the workflow: client overrides merged over the compiled config,
 * then templates evaluated at the kind's expression fields. Pure and deterministic.
 */
import { evaluateTemplate, isExpression, type ExpressionContext } from './expressions.ts';

type PathSegment = string | number;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON-safe deep copy (configs and outputs are JSON data). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a "__proto__" key stays data.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Deep-merges `override` over `base`: plain objects merge key by key, anything else (arrays
 * included) replaces. Neither argument is modified.
 *
 * @example
 * mergeConfig({ headers: { a: '1' }, url: 'x' }, { headers: { b: '2' } })
 * // { headers: { a: '1', b: '2' }, url: 'x' }
 */
export function mergeConfig(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return cloneJson(override);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) setOwn(out, key, cloneJson(value));
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    setOwn(out, key, Object.prototype.hasOwnProperty.call(base, key) ? mergeConfig(base[key], value) : cloneJson(value));
  }
  return out;
}

function formatField(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The string values at `patterns` (`a.b`, `headers.*`), as (container, key, path) triples. */
function templateSlots(
  config: Record<string, unknown>,
  patterns: readonly string[],
): Array<{ container: Record<string, unknown> | unknown[]; key: string | number; path: PathSegment[] }> {
  const found: Array<{ container: Record<string, unknown> | unknown[]; key: string | number; path: PathSegment[] }> = [];
  const visit = (container: Record<string, unknown> | unknown[], key: string | number, rest: readonly string[], path: PathSegment[]): void => {
    const value = (container as Record<string | number, unknown>)[key];
    if (rest.length === 0) {
      if (typeof value === 'string') found.push({ container, key, path });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const [head, ...tail] = rest as [string, ...string[]];
    if (head === '*') {
      if (Array.isArray(value)) value.forEach((_, index) => visit(value, index, tail, [...path, index]));
      else for (const name of Object.keys(value)) visit(value as Record<string, unknown>, name, tail, [...path, name]);
    } else if (Object.prototype.hasOwnProperty.call(value, head)) {
      visit(value as Record<string, unknown>, head, tail, [...path, head]);
    }
  };
  const root = { config };
  for (const pattern of patterns) visit(root, 'config', pattern.split('.'), ['config']);
  return found;
}

/**
 * Returns a copy of `config` with every template at the expression field `patterns` evaluated
 * against `context` (in pattern order). Literal strings and other fields are kept as they are.
 *
 * @throws ExpressionError naming the node and field when a template fails.
 * @example
 * await resolveTemplates({ url: 'https://x/{{ input.id }}' }, ['url'], context, 'fetch')
 * // { url: 'https://x/42' }
 */
export async function resolveTemplates(
  config: Record<string, unknown>,
  patterns: readonly string[],
  context: ExpressionContext,
  nodeId: string,
): Promise<Record<string, unknown>> {
  const resolved = cloneJson(config);
  for (const slot of templateSlots(resolved, patterns)) {
    const template = (slot.container as Record<string | number, unknown>)[slot.key];
    if (!isExpression(template)) continue;
    const value = await evaluateTemplate(template, context, { nodeId, field: formatField(slot.path) });
    if (Array.isArray(slot.container)) slot.container[slot.key as number] = value;
    else setOwn(slot.container, String(slot.key), value);
  }
  return resolved;
}
