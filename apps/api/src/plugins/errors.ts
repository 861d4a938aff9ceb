import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, PROBLEM_TITLES, problemType, type ProblemBody, type ProblemCode } from '../lib/problem.ts';
import { isPgError, pgErrorToApiError } from '../lib/pg-errors.ts';
import { toFieldErrors, type SchemaError } from '../lib/validation-errors.ts';
import { engineToApiError, isEngineError } from '../lib/engine-errors.ts';

const STATUS_CODES: Record<number, ProblemCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  405: 'method_not_allowed',
  415: 'unsupported_media_type',
  422: 'invalid_workflow',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Fastify's own request errors, with the field they concern and a safe message. */
function fastifyError(err: FastifyError): ApiError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'payload_too_large', 'the request body is too large', [{ field: '/', code: 'too_large', message: 'the request body exceeds the size limit' }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', 'send JSON (content-type: application/json)', [{ field: '/headers/content-type', code: 'unsupported', message: 'must be application/json' }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'validation_failed', 'the JSON body is empty', [{ field: '/', code: 'required', message: 'a JSON body is required' }]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'validation_failed', 'the body is not valid JSON', [{ field: '/', code: 'invalid_json', message: 'is not valid JSON' }]);
    case 'FST_ERR_BAD_URL':
      return new ApiError(400, 'validation_failed', 'the URL is not validly encoded', [{ field: '/', code: 'invalid_url', message: 'a path segment is not valid percent-encoded UTF-8' }]);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(414, 'validation_failed', 'a path parameter is too long', [{ field: '/', code: 'too_long', message: 'a path parameter exceeds 200 characters' }]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'validation_failed', 'content-length does not match the body', [{ field: '/headers/content-length', code: 'invalid', message: 'does not match the body' }]);
    default:
      break;
  }
  // JSON.parse SyntaxError and secure-json-parse's prototype-poisoning refusal.
  if (err.statusCode === 400 && (err instanceof SyntaxError || /prototype|JSON/i.test(err.message))) {
    return new ApiError(400, 'validation_failed', 'the body is not acceptable JSON', [{ field: '/', code: 'invalid_json', message: err instanceof SyntaxError ? 'is not valid JSON' : 'contains forbidden keys (__proto__, constructor.prototype)' }]);
  }
  return null;
}

/** Turns anything thrown by a handler or hook into a problem document. */
export function toProblem(err: unknown, requestId: string): { problem: ProblemBody; cause: 'client' | 'server' } {
  let api: ApiError | null = null;
  const fe = err as FastifyError & { validation?: SchemaError[]; validationContext?: string };
  if (err instanceof ApiError) api = err;
  else if (Array.isArray(fe?.validation)) {
    const errors = toFieldErrors(fe.validation, fe.validationContext ?? 'body');
    api = new ApiError(400, 'validation_failed', `invalid ${fe.validationContext === 'querystring' ? 'query string' : fe.validationContext ?? 'body'}: ${errors[0]!.field} ${errors[0]!.message}`, errors);
  } else if (isPgError(err)) api = pgErrorToApiError(err);
  else if (fe && typeof fe === 'object' && typeof fe.code === 'string' && fe.code.startsWith('FST_')) api = fastifyError(fe);
  if (!api && fe && typeof fe.statusCode === 'number' && fe.statusCode === 429) {
    api = new ApiError(429, 'rate_limited', fe.message || 'too many requests; retry later', [{ field: '/', code: 'rate_limited', message: 'too many requests from this client' }]);
  }
  if (!api && fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = STATUS_CODES[fe.statusCode] ?? 'validation_failed';
    api = new ApiError(fe.statusCode, code, PROBLEM_TITLES[code], [{ field: '/', code: 'invalid_request', message: PROBLEM_TITLES[code] }]);
  }
  const status = api?.status ?? 500;
  const code: ProblemCode = api?.code ?? 'internal_error';
  const problem: ProblemBody = {
    type: problemType(code),
    title: PROBLEM_TITLES[code],
    status,
    code,
    detail: api?.detail ?? 'An unexpected error occurred; quote the request id when reporting it.',
    ...(api && api.errors.length > 0 ? { errors: api.errors } : {}),
    requestId,
    ...(api?.extra ?? {}),
  };
  return { problem, cause: status >= 500 ? 'server' : 'client' };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const { problem, cause } = toProblem(err, request.id);
  if (cause === 'server') request.log.error({ err }, 'request failed');
  else request.log.info({ code: problem.code, status: problem.status, errors: problem.errors?.slice(0, 5) }, 'request rejected');
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/**
 * Fastify's `frameworkErrors`: errors raised before routing (a badly encoded URL, an over-long
 * path parameter), which otherwise bypass the error handler and answer plain JSON.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  sendProblem(request, reply, err);
}

/** One error shape everywhere: handler errors, validation, body parsing, unknown routes. */
export const errorsPlugin = fp(async (app) => {
  app.setErrorHandler((err, request, reply) => sendProblem(request, reply, err));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    return sendProblem(request, reply, new ApiError(404, 'not_found', `no route ${request.method} ${path.slice(0, 200)}`, [
      { field: '/', code: 'unknown_route', message: 'no such route; see /openapi.json' },
    ]));
  });
}, { name: 'errors' });
