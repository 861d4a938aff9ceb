/**
 * Emits JSON data as a TypeScript expression. This is the only way user text (labels, configs,
 * expressions) enters generated code: as string literals produced by `JSON.stringify`, with the
 * line and paragraph separators escaped, and `__proto__` keys written as computed keys so they
 * stay data.
 */

/** Thrown for values JSON cannot represent (functions, symbols, bigints, non-finite numbers, cycles). */
export class LiteralError extends Error {
  override readonly name = 'LiteralError';
}

/**
 * A string as a double-quoted TypeScript string literal: `JSON.stringify` plus `\u2028`/`\u2029`
 * escapes, so the literal never spans lines and never contains a raw terminator of any kind.
 *
 * @example
 * stringLiteral('a"b\u2028') // '"a\\"b\\u2028"'
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function propertyKey(key: string): string {
  // `{ "__proto__": x }` would set the prototype; `{ ["__proto__"]: x }` defines a property.
  return key === '__proto__' ? `[${stringLiteral(key)}]` : stringLiteral(key);
}

/**
 * Emits a JSON value as an indented TypeScript literal (arrays and objects on several lines,
 * `undefined` properties dropped as `JSON.stringify` does).
 *
 * @example
 * emitLiteral({ a: [1, 'x'] }, '')
 * // '{\n  "a": [\n    1,\n    "x"\n  ]\n}'
 */
export function emitLiteral(value: unknown, indent = '', seen: Set<object> = new Set()): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new LiteralError(`cannot emit the number ${String(value)}`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new LiteralError(`cannot emit a value of type ${typeof value}`);
  }
  const object = value as object;
  if (seen.has(object)) throw new LiteralError('cannot emit a cyclic value');
  seen.add(object);
  const inner = `${indent}  `;
  let out: string;
  if (Array.isArray(object)) {
    const items = object.map((item: unknown) => (item === undefined ? 'null' : emitLiteral(item, inner, seen)));
    out = items.length === 0 ? '[]' : `[\n${items.map((item) => `${inner}${item}`).join(',\n')}\n${indent}]`;
  } else if (isPlainObject(object)) {
    const entries = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .map((key) => `${inner}${propertyKey(key)}: ${emitLiteral(object[key], inner, seen)}`);
    out = entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
  } else {
    throw new LiteralError('cannot emit a non-plain object');
  }
  seen.delete(object);
  return out;
}
