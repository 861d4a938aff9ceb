/** Names derived from compile metadata; each is validated before it is used in generated code. */
import { CompileError } from './compile-error.ts';

/** Workflow kebab names (`workflows.slug`). */
export const KEBAB_NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Workflow type names produced by {@link workflowTypeName}. */
export const WORKFLOW_TYPE_PATTERN = /^wf_[a-z0-9]+(_[a-z0-9]+)*_v[1-9][0-9]*$/;
/** Node ids (same rule as the definition's `ID_PATTERN`). */
export const NODE_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Signal, query and handle names (the definition's `IDENTIFIER_PATTERN`). */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The Temporal workflow type (and exported function name) of a compiled version.
 *
 * @example
 * workflowTypeName('send-invoice', 3) // 'wf_send_invoice_v3'
 */
export function workflowTypeName(kebabName: string, version: number): string {
  if (!KEBAB_NAME_PATTERN.test(kebabName) || kebabName.length > 64) {
    throw new CompileError(`kebabName must match ${KEBAB_NAME_PATTERN.source} (at most 64 characters)`);
  }
  if (!Number.isSafeInteger(version) || version < 1) throw new CompileError('version must be a positive integer');
  return `wf_${kebabName.replace(/-/g, '_')}_v${version}`;
}

/** Throws unless `value` matches `pattern`. */
export function assertName(value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new CompileError(`${what} must match ${pattern.source}`);
  return value;
}
