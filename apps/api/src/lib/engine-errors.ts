import { EngineError, type EngineProblem } from '@workflow-builder/engine';
import { ApiError, type FieldError } from './problem.ts';

/**
 * The engine's errors as problems. The engine does not know which part of the request named the
 * thing it could not find or act on, so a route passes the fields:
 *
 *   not_found                                            404  `notFound` (the id's parameter)
 *   invalid_workflow                                     422  one error per definition problem, with nodeId/edgeId
 *   invalid_input                                        400  the engine's fields (`/input/userId`), else `input`
 *   workflow_archived, workflow_paused, not_deployed,
 *   not_running                                          409  `state` (the workflow's or run's parameter)
 *   queue_rejected (work queue full / duplicate item)    409  the engine's fields (`/body/item`)
 *   forbidden                                            403
 *   temporal_unavailable                                 503
 *
 * @example
 * await engineCall(() => cancelRun(db, client, caller, runId), { notFound: '/params/runId', state: '/params/runId' });
 */
export interface EngineFields {
  notFound?: string;
  state?: string;
  input?: string;
  /** The workflow definition the problems of `invalid_workflow` point into (for indexes of nodes/edges). */
  definition?: unknown;
}

export const isEngineError = (e: unknown): e is EngineError =>
  e instanceof EngineError || (e instanceof Error && e.name === 'EngineError' && typeof (e as { code?: unknown }).code === 'string');

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A definition problem's field (`config.headers["X Trace"]`, `nodes[3].label`, '') as a JSON
 * pointer suffix (`/config/headers/X Trace`, `/nodes/3/label`, '').
 */
export function fieldPathToPointer(path: string): string {
  if (path === '') return '';
  if (path.startsWith('/')) return path;
  const token = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let out = '';
  let at = 0;
  while (at < path.length) {
    token.lastIndex = at;
    const m = token.exec(path);
    if (!m) return `${out}/${escapePointer(path.slice(at))}`;
    const key = m[1] ?? m[2] ?? (JSON.parse(m[3]!) as string);
    out += `/${escapePointer(key)}`;
    at = token.lastIndex;
  }
  return out;
}

function indexOf(definition: unknown, collection: 'nodes' | 'edges', id: string): number {
  const items = (definition as Record<string, unknown> | null | undefined)?.[collection];
  return Array.isArray(items) ? items.findIndex((i) => (i as { id?: unknown } | null)?.id === id) : -1;
}

/** A definition problem as a field error pointing into the request's view of the workflow (`/definition/nodes/2/config/url`). */
export function problemToFieldError(p: EngineProblem, definition: unknown): FieldError {
  const suffix = fieldPathToPointer(p.field);
  let field: string;
  if (p.edgeId !== undefined) {
    const i = indexOf(definition, 'edges', p.edgeId);
    field = i >= 0 ? `/definition/edges/${i}${suffix}` : '/definition/edges';
  } else if (p.nodeId !== undefined) {
    const i = indexOf(definition, 'nodes', p.nodeId);
    field = i >= 0 ? `/definition/nodes/${i}${suffix}` : '/definition/nodes';
  } else field = `/definition${suffix}`;
  return {
    field, code: p.code, message: p.message,
    ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}),
    ...(p.edgeId !== undefined ? { edgeId: p.edgeId } : {}),
  };
}

/** At most this many problems are listed (a broken 2,000-node graph could have thousands). */
const MAX_PROBLEMS = 100;

export function engineToApiError(e: EngineError, fields: EngineFields = {}): ApiError {
  const one = (field: string, code: string = e.code): FieldError[] => [{ field, code, message: e.message }];
  switch (e.code) {
    case 'not_found':
      return new ApiError(404, 'not_found', e.message, one(fields.notFound ?? '/', 'not_found'));
    case 'invalid_workflow': {
      const errors = e.problems.slice(0, MAX_PROBLEMS).map((p) => problemToFieldError(p, fields.definition));
      return new ApiError(422, 'invalid_workflow', e.message, errors.length ? errors : one('/definition'));
    }
    case 'invalid_input': {
      const errors = e.problems.slice(0, MAX_PROBLEMS).map((p) => ({ field: p.field, code: p.code, message: p.message }));
      return new ApiError(400, 'validation_failed', e.message, errors.length ? errors : one(fields.input ?? '/input'));
    }
    case 'workflow_archived':
    case 'workflow_paused':
    case 'not_deployed':
    case 'not_running':
      return new ApiError(409, 'conflict', e.message, one(fields.state ?? '/'));
    case 'queue_rejected': {
      const errors = e.problems.map((p) => ({ field: p.field, code: p.code, message: p.message }));
      return new ApiError(409, 'conflict', e.message, errors.length ? errors : one('/body/item'));
    }
    case 'forbidden':
      return new ApiError(403, 'forbidden', e.message, one('/params/orgId', 'insufficient_role'));
    case 'temporal_unavailable':
      return new ApiError(503, 'service_unavailable', e.message, one('/'));
    default:
      return new ApiError(500, 'internal_error', 'An unexpected engine error occurred');
  }
}

/** Runs an engine call, turning its EngineError into the route's problem. */
export async function engineCall<T>(fn: () => Promise<T>, fields: EngineFields): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isEngineError(e)) throw engineToApiError(e, fields);
    throw e;
  }
}
