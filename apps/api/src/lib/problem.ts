/**
 * The API's one error shape (RFC 9457 `application/problem+json`) and the error class handlers
 * throw. Every 4xx names at least one field: a JSON pointer into the request body
 * (`/definition/nodes/3/label`), or into another part of the request (`/params/orgId`,
 * `/query/limit`, `/headers/authorization`); `/` means the request as a whole.
 */

/** Stable, machine-readable problem codes. Never rename one; add new codes instead. */
export type ProblemCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal_error'
  | 'service_unavailable'
  | 'invalid_workflow'
  | 'method_not_allowed';

export interface FieldError {
  /** JSON pointer-ish path of the offending input, e.g. `/definition/nodes/3/label`. */
  field: string;
  /** Stable code of this particular error (`required`, `too_long`, `duplicate`, `stale_version`...). */
  code: string;
  message: string;
  /** A workflow problem's node (deploy/compile of a definition with problems). */
  nodeId?: string;
  /** A workflow problem's edge. */
  edgeId?: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: FieldError[];
  requestId: string;
  /** Only on a stale workflow save (409): the version the client must reload. */
  currentDefinitionVersion?: number;
}

export const PROBLEM_TITLES: Record<ProblemCode, string> = {
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal_error: 'Internal server error',
  service_unavailable: 'Service unavailable',
  invalid_workflow: 'The workflow has problems',
  method_not_allowed: 'Method not allowed',
};

export const problemType = (code: ProblemCode): string => `urn:workflow-builder:problem:${code}`;

/** An error a handler throws to answer with a problem document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly extra: { currentDefinitionVersion?: number } = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

/** 400: one invalid field. */
export const invalid = (field: string, code: string, message: string): ApiError =>
  new ApiError(400, 'validation_failed', message, [{ field, code, message }]);

/** 401. */
export const unauthorized = (detail: string, field = '/headers/authorization'): ApiError =>
  new ApiError(401, 'unauthorized', detail, [{ field, code: 'unauthenticated', message: detail }]);

/** 403: the caller is known but may not do this. */
export const forbidden = (detail: string, field: string, code = 'insufficient_role'): ApiError =>
  new ApiError(403, 'forbidden', detail, [{ field, code, message: detail }]);

/** 404: `what` names the thing (`workflow`), `field` where its id came from (`/params/workflowId`). */
export const notFound = (what: string, field: string): ApiError =>
  new ApiError(404, 'not_found', `${what} not found`, [{ field, code: 'not_found', message: `no ${what} with this id is visible to you` }]);

/** 409. */
export const conflict = (detail: string, field: string, code = 'conflict', extra: ApiError['extra'] = {}): ApiError =>
  new ApiError(409, 'conflict', detail, [{ field, code, message: detail }], extra);
