import { Ajv } from 'ajv';
import { forbidden, notFound, ApiError } from './problem.ts';

/**
 * Rules shared by the catalog resources (components, agent prompts): rows are visible by
 * `visibility` (RLS), but only the request organisation's own rows can be changed. Built-ins
 * (org_id null) and other organisations' public rows are read-only here.
 */
export function assertOwnCatalogRow(row: { org_id: string | null } | undefined, orgId: string, what: string, field: string): void {
  if (!row) throw notFound(what, field);
  if (row.org_id === null) throw forbidden(`built-in ${what}s are read-only; create a new version in your organisation instead`, field, 'read_only');
  if (row.org_id !== orgId) throw forbidden(`this ${what} belongs to another organisation (it is public, so you can read it)`, field, 'read_only');
}

// Meta-schema check only: compiling an untrusted schema into code is not safe, validating it is.
const metaAjv = new Ajv({ strict: false, validateSchema: true });

/** 400 when `schema` is not a valid JSON Schema (draft-07 meta-schema). */
export function assertJsonSchema(schema: unknown, field: string): void {
  if (schema === undefined || schema === null) return;
  const ok = metaAjv.validateSchema(schema as object);
  if (ok) return;
  const first = metaAjv.errors?.[0];
  const path = `${field}${first?.instancePath ?? ''}`;
  const message = `is not a valid JSON Schema: ${first?.message ?? 'invalid'}`;
  throw new ApiError(400, 'validation_failed', `${field} ${message}`, [{ field: path, code: 'invalid_schema', message }]);
}
