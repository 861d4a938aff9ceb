import { validateOverridesWithSchema, type JsonSchemaObject } from '@workflow-builder/definition';
import { ApiError } from '../../lib/problem.ts';

/** At most this many problems are listed. */
const MAX_ERRORS = 50;

/**
 * 400 naming every invalid field of per-node overrides (`/config/fetch/url`) against the
 * overrides schema of a workflow (client configs and named configs share it).
 */
export function assertValidOverrides(schema: JsonSchemaObject, config: unknown, prefix: string): void {
  const issues = validateOverridesWithSchema(schema, config);
  if (issues.length === 0) return;
  const errors = issues.slice(0, MAX_ERRORS).map((i) => ({ field: `${prefix}${i.pointer}`, code: 'invalid_config', message: i.message }));
  throw new ApiError(400, 'validation_failed', `the config does not match the workflow's nodes: ${errors[0]!.field} ${errors[0]!.message}`, errors);
}
