import type { FieldError } from './problem.ts';

/** The parts of an Ajv (or TypeBox) error this module reads. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART_PREFIX: Record<string, string> = { body: '', querystring: '/query', params: '/params', headers: '/headers' };

const CODES: Record<string, string> = {
  required: 'required',
  additionalProperties: 'unknown_field',
  type: 'invalid_type',
  maxLength: 'too_long',
  minLength: 'too_short',
  maxItems: 'too_many_items',
  minItems: 'too_few_items',
  maxProperties: 'too_many_properties',
  minProperties: 'too_few_properties',
  pattern: 'invalid_format',
  format: 'invalid_format',
  enum: 'invalid_value',
  const: 'invalid_value',
  anyOf: 'invalid_value',
  oneOf: 'invalid_value',
  minimum: 'out_of_range',
  maximum: 'out_of_range',
  exclusiveMinimum: 'out_of_range',
  exclusiveMaximum: 'out_of_range',
  multipleOf: 'out_of_range',
  uniqueItems: 'duplicate_items',
};

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** At most this many field errors are reported (allErrors on a huge body would list thousands). */
export const MAX_FIELD_ERRORS = 50;

function message(e: SchemaError): string {
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of: ${(e.params['allowedValues'] as unknown[] | undefined)?.map((v) => JSON.stringify(v)).join(', ') ?? 'the allowed values'}`;
    case 'anyOf':
    case 'oneOf':
      return 'does not match any allowed shape';
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

/**
 * Maps schema validation errors of one request part (`body`, `querystring`, `params`,
 * `headers`) to field errors with JSON-pointer paths. `required` and `additionalProperties`
 * errors point at the missing or unknown property itself; the branches of a failed
 * `anyOf`/`oneOf` are folded into one error at the union's path.
 *
 * @example
 * toFieldErrors([{ keyword: 'maxLength', instancePath: '/definition/nodes/3/label', schemaPath: '#/...', params: { limit: 200 } }], 'body')
 * // [{ field: '/definition/nodes/3/label', code: 'too_long', message: 'must NOT have more than 200 characters' }]
 */
export function toFieldErrors(errors: readonly SchemaError[], part: string): FieldError[] {
  const prefix = PART_PREFIX[part] ?? `/${part}`;
  // Branch errors of a union are noise next to the union's own error.
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const kept = errors.filter((e) => !unions.some((u) => e.schemaPath !== u && e.schemaPath.startsWith(`${u}/`)));
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    let path = e.instancePath;
    if (e.keyword === 'required' && typeof e.params['missingProperty'] === 'string') path += `/${escapePointer(e.params['missingProperty'])}`;
    if (e.keyword === 'additionalProperties' && typeof e.params['additionalProperty'] === 'string') path += `/${escapePointer(e.params['additionalProperty'])}`;
    const field = `${prefix}${path}` || '/';
    const code = CODES[e.keyword] ?? e.keyword;
    const key = `${field}\u0000${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, code, message: message(e) });
    if (out.length >= MAX_FIELD_ERRORS) break;
  }
  return out.length > 0 ? out : [{ field: prefix || '/', code: 'invalid', message: 'is invalid' }];
}
