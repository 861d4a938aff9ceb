import type { Validator } from 'typebox/compile'
import type { TLocalizedValidationError } from 'typebox/error'
import { Settings } from 'typebox/system'
import { pointerToSegments, type PathSegment } from './field-path.ts'

/** A schema validation error reduced to a path and a human message. */
export interface SchemaIssue {
  path: PathSegment[]
  message: string
}

interface Keyed {
  keyword: string
  schemaPath: string
  instancePath: string
  params: Record<string, unknown>
  message: string
}

/**
 * Collects up to `limit` validation errors. TypeBox buffers only `Settings.maxErrors` (default 8)
 * errors; the setting is raised just for this synchronous call and restored, so other users of
 * TypeBox in the same process are unaffected.
 *
 * @example
 * collectErrors(Compile(schema), value).length // every error, not just the first 8
 */
export function collectErrors(validator: Validator, value: unknown, limit = 500): TLocalizedValidationError[] {
  const previous = Settings.Get().maxErrors
  Settings.Set({ maxErrors: limit })
  try {
    return validator.Errors(value)
  } finally {
    Settings.Set({ maxErrors: previous })
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

function describeAlternatives(alternatives: Keyed[]): string {
  const constants = alternatives.filter((e) => e.keyword === 'const').map((e) => JSON.stringify(e.params['allowedValue']))
  const types = alternatives.filter((e) => e.keyword === 'type').map((e) => String(e.params['type']))
  const options = [...new Set([...constants, ...types])]
  if (options.length > 0 && options.length === alternatives.length) return `must be ${options.join(' or ')}`
  return 'does not match any of the allowed shapes'
}

/**
 * Turns TypeBox validation errors into one issue per offending field, dropping the duplicates the
 * validator reports for `additionalProperties`, `propertyNames` and `anyOf`.
 *
 * @example
 * schemaIssues(validator.Errors(value), value)
 * // [{ path: ['nodes', 0, 'label'], message: 'must not have more than 200 characters' }]
 */
export function schemaIssues(errors: readonly TLocalizedValidationError[], value: unknown): SchemaIssue[] {
  const all = errors as unknown as Keyed[]
  const anyOfs = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  const nestedIn = (e: Keyed, parent: Keyed): boolean =>
    e !== parent && e.schemaPath.startsWith(`${parent.schemaPath}/${parent.keyword}/`)
  const kept = all.filter((e) => {
    if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) return false
    if (e.keyword !== 'propertyNames' && e.schemaPath.includes('/propertyNames')) return false
    return !anyOfs.some((parent) => nestedIn(e, parent))
  })

  const issues: SchemaIssue[] = []
  const seen = new Set<string>()
  const push = (pointer: string, message: string): void => {
    const key = `${pointer}\u0000${message}`
    if (seen.has(key)) return
    seen.add(key)
    issues.push({ path: pointerToSegments(pointer, value), message })
  }

  for (const error of kept) {
    switch (error.keyword) {
      case 'required': {
        for (const name of (error.params['requiredProperties'] as string[] | undefined) ?? []) {
          push(`${error.instancePath}/${escapePointer(name)}`, 'is required')
        }
        break
      }
      case 'additionalProperties': {
        for (const name of (error.params['additionalProperties'] as string[] | undefined) ?? []) {
          const pointer = `${error.instancePath}/${escapePointer(name)}`
          // When additionalProperties is a schema the failing value has its own, better error.
          const explained = kept.some(
            (other) => other !== error && (other.instancePath === pointer || other.instancePath.startsWith(`${pointer}/`)),
          )
          if (!explained) push(pointer, 'is not an allowed property')
        }
        break
      }
      case 'propertyNames': {
        for (const name of (error.params['propertyNames'] as string[] | undefined) ?? []) {
          push(`${error.instancePath}/${escapePointer(name)}`, 'is not an allowed property name')
        }
        break
      }
      case 'anyOf':
      case 'oneOf': {
        const alternatives = all.filter((e) => nestedIn(e, error) && e.instancePath === error.instancePath)
        push(error.instancePath, describeAlternatives(alternatives))
        break
      }
      case 'const':
        push(error.instancePath, `must be ${JSON.stringify(error.params['allowedValue'])}`)
        break
      case 'enum': {
        const allowed = ((error.params['allowedValues'] as unknown[] | undefined) ?? []).map((v) => JSON.stringify(v))
        push(error.instancePath, `must be one of ${allowed.join(', ')}`)
        break
      }
      default:
        push(error.instancePath, error.message)
    }
  }
  return issues
}
