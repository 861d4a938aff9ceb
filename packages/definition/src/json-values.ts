/**
 * Value semantics shared by the validator, the compiler and the runtime helpers, so a condition
 * or a switch case means the same everywhere.
 */

/**
 * JSONata's `$boolean()` casting, used for `branch.if` conditions: `false`, `0`, `''`, `null`,
 * `undefined`, functions, empty arrays and empty objects are false; an array is true when any
 * element is.
 *
 * @example
 * isTruthy([]) // false
 * isTruthy([0, 'x']) // true
 * isTruthy({}) // false
 */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (Array.isArray(value)) return value.some(isTruthy)
  switch (typeof value) {
    case 'boolean':
      return value
    case 'string':
      return value.length > 0
    case 'number':
      return value !== 0 && !Number.isNaN(value)
    case 'object':
      return Object.keys(value).length > 0
    default:
      return false
  }
}

/**
 * Deep equality of JSON values (object key order ignored), used to match `branch.switch` cases.
 *
 * @example
 * jsonEquals({ a: [1, 2] }, { a: [1, 2] }) // true
 * jsonEquals(1, '1') // false
 */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonEquals(item, b[index]))
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left).filter((key) => left[key] !== undefined)
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined)
  return keys.length === otherKeys.length && keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && jsonEquals(left[key], right[key]))
}
