import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { InputSchema } from '@workflow-builder/definition';

const ajv = new Ajv({ allErrors: true, strict: false });
const cache = new WeakMap<object, ValidateFunction>();

export interface InputProblem { field: string; code: 'invalid_input'; message: string }

const fieldOf = (e: ErrorObject): string => {
  const base = `/input${e.instancePath}`;
  if (e.keyword === 'required') return `${base}/${(e.params as { missingProperty: string }).missingProperty}`;
  if (e.keyword === 'additionalProperties') return `${base}/${(e.params as { additionalProperty: string }).additionalProperty}`;
  return base;
};

/** Checks a run's input against the workflow's input schema; every problem names its field. */
export function validateRunInput(schema: InputSchema | undefined, input: unknown): InputProblem[] {
  if (!schema) return [];
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    cache.set(schema, validate);
  }
  if (validate(input)) return [];
  return (validate.errors ?? []).map((e) => ({ field: fieldOf(e), code: 'invalid_input', message: e.message ?? 'is invalid' }));
}
