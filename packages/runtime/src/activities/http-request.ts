/**
 * The `http.request` activity: one HTTP call per attempt, with a per-attempt timeout, a response
 * size limit enforced while streaming, and status handling that tells Temporal what to retry.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  STEP_FAILURE_TYPES,
  type HttpRequestInput,
  type HttpResponseOutput,
  type StepActivityMeta,
  type StepActivityResult,
  type StepFailureDetails,
} from '../contract.ts';

/** Default per-attempt timeout (matches the `http.request` descriptor's default). */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Default response size limit (matches the `http.request` descriptor's default). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The subset of `fetch` the activities use (injectable for tests and proxies). */
export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** The current attempt (1 outside an activity context, e.g. in unit tests calling the function directly). */
export function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** The activity's cancellation signal, when running inside an activity. */
export function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** A step failure carrying `StepFailureDetails`; retryable unless `nonRetryable`. */
export function stepFailure(message: string, type: string, details: StepFailureDetails, nonRetryable: boolean, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ message, type, nonRetryable, details: [details], ...(cause === undefined ? {} : { cause }) });
}

/** 4xx statuses worth retrying: request timeout and rate limiting. */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

function buildUrl(input: HttpRequestInput, attempt: number): URL {
  let url: URL;
  try {
    url = new URL(String(input.url));
  } catch {
    throw stepFailure(`invalid URL ${JSON.stringify(String(input.url))}`, STEP_FAILURE_TYPES.invalidInput, { attempt }, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw stepFailure(`unsupported URL scheme ${url.protocol}`, STEP_FAILURE_TYPES.invalidInput, { attempt }, true);
  }
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value === undefined || value === null) continue;
    url.searchParams.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return url;
}

function buildHeaders(input: HttpRequestInput): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return headers;
}

function buildBody(input: HttpRequestInput, headers: Headers): string | undefined {
  if (input.body === undefined || input.body === null) return undefined;
  if (typeof input.body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
    return input.body;
  }
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(input.body);
}

/** Reads the body, failing as soon as more than `limit` bytes arrived. */
async function readLimited(response: Response, limit: number, attempt: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw stepFailure(`response is ${declared} bytes, over the ${limit} byte limit`, STEP_FAILURE_TYPES.httpTooLarge, { attempt, status: response.status }, true);
  }
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw stepFailure(`response exceeded the ${limit} byte limit`, STEP_FAILURE_TYPES.httpTooLarge, { attempt, status: response.status }, true);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function statusAccepted(status: number, expect: readonly number[] | undefined): boolean {
  return expect === undefined || expect.length === 0 ? status >= 200 && status < 300 : expect.includes(status);
}

/**
 * Creates the `wbHttpRequest` activity.
 *
 * @example
 * const httpRequest = createHttpRequestActivity({ fetch: globalThis.fetch })
 * await httpRequest(meta, { url: 'https://api.example.com/users/1', responseType: 'json' })
 * // { output: { status: 200, headers: {...}, body: {...} }, attempt: 1 }
 */
export function createHttpRequestActivity(options: { fetch?: FetchFn } = {}) {
  const doFetch: FetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  return async function wbHttpRequest(_meta: StepActivityMeta, input: HttpRequestInput): Promise<StepActivityResult<HttpResponseOutput>> {
    const attempt = currentAttempt();
    const method = (input.method ?? 'GET').toUpperCase();
    const url = buildUrl(input, attempt);
    let headers: Headers;
    let body: string | undefined;
    try {
      headers = buildHeaders(input);
      body = method === 'GET' || method === 'HEAD' ? undefined : buildBody(input, headers);
    } catch (error) {
      // Invalid header names or values (e.g. line breaks): retrying cannot help.
      const message = error instanceof Error ? error.message : String(error);
      throw stepFailure(`invalid request: ${message}`, STEP_FAILURE_TYPES.invalidInput, { attempt }, true);
    }
    const timeoutMs = input.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const limit = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const timeout = AbortSignal.timeout(timeoutMs);
    const cancelled = activitySignal();
    const signal = cancelled === undefined ? timeout : AbortSignal.any([timeout, cancelled]);
    const startedAt = Date.now();

    let response: Response;
    let raw: Uint8Array;
    try {
      response = await doFetch(url.toString(), { method, headers, body, signal, redirect: 'follow' });
      raw = method === 'HEAD' ? new Uint8Array() : await readLimited(response, limit, attempt);
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      if (timeout.aborted) {
        throw stepFailure(`${method} ${url.origin}${url.pathname} timed out after ${timeoutMs} ms`, STEP_FAILURE_TYPES.httpTimeout, { attempt }, false);
      }
      if (cancelled?.aborted === true) throw error;
      const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
      throw stepFailure(`${method} ${url.origin}${url.pathname} failed: ${message}`, STEP_FAILURE_TYPES.httpNetwork, { attempt }, false);
    }

    const text = new TextDecoder().decode(raw);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });

    if (!statusAccepted(response.status, input.expectStatus)) {
      const retryable = response.status >= 500 || RETRYABLE_CLIENT_STATUSES.has(response.status) || response.status < 400;
      throw stepFailure(
        `${method} ${url.origin}${url.pathname} returned status ${response.status}`,
        STEP_FAILURE_TYPES.httpStatus,
        { attempt, status: response.status, body: text.slice(0, 2_000) },
        !retryable,
      );
    }

    let parsed: unknown = text;
    if ((input.responseType ?? 'json') === 'json' && text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw stepFailure('response body is not valid JSON', STEP_FAILURE_TYPES.httpInvalidResponse, { attempt, status: response.status, body: text.slice(0, 2_000) }, true);
      }
    } else if ((input.responseType ?? 'json') === 'json') {
      parsed = null;
    }

    return {
      output: { status: response.status, headers: responseHeaders, body: parsed },
      attempt,
      events: [{ type: 'http', timestamp: new Date().toISOString(), data: { method, status: response.status, bytes: raw.byteLength, durationMs: Date.now() - startedAt } }],
    };
  };
}
