import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { InputSchema } from '@workflow-builder/definition';
import { EngineError } from './errors.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const cache = new WeakMap<object, ValidateFunction>();

export interface InputProblem { field: string; code: 'invalid_input'; message: string }

const fieldOf = (e: ErrorObject): string => {
  const base = `/input${e.instancePath}`;
  if (e.keyword === 'required') return `${base}/${(e.params as { missingProperty: string }).missingProperty}`;
  if (e.keyword === 'additionalProperties') return `${base}/${(e.params as { additionalProperty: string }).additionalProperty}`;
  return base;
};

/**
 * Compiles a schema the workflow declares. One that cannot be compiled (a `pattern` that is no
 * regular expression, saved before validation reported it) is the workflow's problem, answered as
 * `invalid_workflow` naming the declaration, not a server error.
 */
export function compileDeclaredSchema(ajv: Ajv, schema: object, declaredAt: string): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new EngineError('invalid_workflow', `The workflow's ${declaredAt} cannot be used (${reason}); fix it, save and deploy again`, [
      { field: declaredAt, code: 'invalid_schema', message: reason },
    ]);
  }
}

/** Checks a run's input against the workflow's input schema; every problem names its field. */
export function validateRunInput(schema: InputSchema | undefined, input: unknown): InputProblem[] {
  if (!schema) return [];
  let validate = cache.get(schema);
  if (!validate) {
    validate = compileDeclaredSchema(ajv, schema as object, 'inputSchema');
    cache.set(schema, validate);
  }
  if (validate(input)) return [];
  return (validate.errors ?? []).map((e) => ({ field: fieldOf(e), code: 'invalid_input', message: e.message ?? 'is invalid' }));
}
