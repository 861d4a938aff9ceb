import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_FAILURE_TYPES, type StepActivityMeta, type StepFailureDetails } from '../contract.ts';
import { sendJson, startTestServer, type TestServer } from '../testing/test-server.ts';
import { createHttpRequestActivity } from './http-request.ts';

const meta: StepActivityMeta = { runId: 'r1', stepNumber: 2, nodeId: 'fetch', nodeKind: 'http.request', orgId: 'o', projectId: 'p', recordSteps: true };
const httpRequest = createHttpRequestActivity();

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('wbHttpRequest', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(async (req, res) => {
      const url = new URL(req.url, 'http://x');
      switch (url.pathname) {
        case '/json':
          return sendJson(res, 200, { ok: true, query: Object.fromEntries(url.searchParams), method: req.method });
        case '/echo':
          return sendJson(res, 201, { body: req.body, contentType: req.headers['content-type'] ?? null, auth: req.headers['x-token'] ?? null });
        case '/text':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return void res.end('plain words');
        case '/empty':
          res.writeHead(204);
          return void res.end();
        case '/slow':
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return sendJson(res, 200, { late: true });
        case '/big-declared':
          res.writeHead(200, { 'content-length': '5000' });
          return void res.end('x'.repeat(5000));
        case '/big-streamed': {
          // Chunked, no content-length: the limit must be enforced while reading.
          res.writeHead(200, { 'content-type': 'text/plain' });
          for (let i = 0; i < 50; i++) res.write('y'.repeat(1000));
          return void res.end();
        }
        case '/bad-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('{nope');
        case '/status':
          return sendJson(res, Number(url.searchParams.get('code')), { code: url.searchParams.get('code') });
        default:
          res.writeHead(404);
          return void res.end();
      }
    });
  });
  afterAll(() => server.close());

  it('GETs JSON with query parameters and reports the attempt', async () => {
    const result = await httpRequest(meta, { url: `${server.url}/json?a=1`, query: { b: 'two', c: 3 } });
    expect(result.attempt).toBe(1);
    expect(result.output.status).toBe(200);
    expect(result.output.headers['content-type']).toBe('application/json');
    expect(result.output.body).toEqual({ ok: true, query: { a: '1', b: 'two', c: '3' }, method: 'GET' });
    expect(result.events?.[0]?.type).toBe('http');
  });

  it('sends objects as JSON and strings as text, with headers', async () => {
    const json = await httpRequest(meta, { url: `${server.url}/echo`, method: 'POST', body: { n: 1 }, headers: { 'X-Token': 'abc' } });
    expect(json.output.body).toEqual({ body: '{"n":1}', contentType: 'application/json', auth: 'abc' });
    const text = await httpRequest(meta, { url: `${server.url}/echo`, method: 'PUT', body: 'hello' });
    expect(text.output.body).toEqual({ body: 'hello', contentType: 'text/plain; charset=utf-8', auth: null });
  });

  it('reads text and empty bodies', async () => {
    expect((await httpRequest(meta, { url: `${server.url}/text`, responseType: 'text' })).output.body).toBe('plain words');
    expect((await httpRequest(meta, { url: `${server.url}/empty` })).output).toMatchObject({ status: 204, body: null });
  });

  it('times out per attempt as a retryable failure', async () => {
    const error = await failure(httpRequest(meta, { url: `${server.url}/slow`, timeoutMs: 100 }));
    expect(error.type).toBe(STEP_FAILURE_TYPES.httpTimeout);
    expect(error.nonRetryable).toBe(false);
    expect((error.details?.[0] as StepFailureDetails).attempt).toBe(1);
  });

  it('enforces the response size limit, declared or streamed', async () => {
    const declared = await failure(httpRequest(meta, { url: `${server.url}/big-declared`, maxResponseBytes: 1000 }));
    expect(declared.type).toBe(STEP_FAILURE_TYPES.httpTooLarge);
    expect(declared.nonRetryable).toBe(true);
    const streamed = await failure(httpRequest(meta, { url: `${server.url}/big-streamed`, maxResponseBytes: 10_000, responseType: 'text' }));
    expect(streamed.type).toBe(STEP_FAILURE_TYPES.httpTooLarge);
    expect(streamed.message).toContain('10000');
    const fits = await httpRequest(meta, { url: `${server.url}/big-streamed`, maxResponseBytes: 50_000, responseType: 'text' });
    expect((fits.output.body as string).length).toBe(50_000);
  });

  it('fails 4xx without retry, except 408 and 429; retries 5xx', async () => {
    for (const [code, nonRetryable] of [
      [400, true],
      [404, true],
      [422, true],
      [408, false],
      [429, false],
      [500, false],
      [503, false],
    ] as const) {
      const error = await failure(httpRequest(meta, { url: `${server.url}/status?code=${code}` }));
      expect(error.type, String(code)).toBe(STEP_FAILURE_TYPES.httpStatus);
      expect(error.nonRetryable, String(code)).toBe(nonRetryable);
      expect((error.details?.[0] as StepFailureDetails).status).toBe(code);
    }
  });

  it('accepts exactly the expected statuses when expectStatus is set', async () => {
    const result = await httpRequest(meta, { url: `${server.url}/status?code=404`, expectStatus: [200, 404] });
    expect(result.output).toMatchObject({ status: 404, body: { code: '404' } });
    const error = await failure(httpRequest(meta, { url: `${server.url}/status?code=200`, expectStatus: [201] }));
    expect(error.nonRetryable).toBe(false);
  });

  it('rejects invalid JSON and bad URLs without retry', async () => {
    expect((await failure(httpRequest(meta, { url: `${server.url}/bad-json` }))).type).toBe(STEP_FAILURE_TYPES.httpInvalidResponse);
    const badUrl = await failure(httpRequest(meta, { url: 'not a url' }));
    expect(badUrl.nonRetryable).toBe(true);
    expect((await failure(httpRequest(meta, { url: 'file:///etc/passwd' }))).type).toBe(STEP_FAILURE_TYPES.invalidInput);
    const badHeader = await failure(httpRequest(meta, { url: `${server.url}/json`, headers: { 'X-Bad': 'line\nbreak' } }));
    expect(badHeader).toMatchObject({ type: STEP_FAILURE_TYPES.invalidInput, nonRetryable: true });
  });

  it('reports connection errors as retryable', async () => {
    const closed = await startTestServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const error = await failure(httpRequest(meta, { url: `${url}/x`, timeoutMs: 2_000 }));
    expect(error.type).toBe(STEP_FAILURE_TYPES.httpNetwork);
    expect(error.nonRetryable).toBe(false);
  });
});
