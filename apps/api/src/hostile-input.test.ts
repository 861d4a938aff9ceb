/**
 * Hostile input across the engine routes (and the workflow routes they build on): wrong types,
 * huge strings, 10,000-node graphs, deeply nested JSON, SQL and script fragments, invalid UTF-8,
 * unknown fields, negative and overflowing numbers, bad uuids, bad cursors, bad JSON in `q`.
 * Every request must be refused with a 4xx problem document naming a field, and the database
 * must be exactly as before (row counts of every table in public and app).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPMethods, InjectOptions } from 'fastify';
import { addMember, createProject, createTestApp, createWorkflow, signUp, withAdmin, type TestApp, type TestUser } from './test/helpers.ts';
import { deployViaApi, doublerDefinition, startViaApi, webhookDefinition } from './test/engine.ts';

interface Ctx { orgId: string; projectId: string; workstreamSlug: string; workflowId: string; hookWorkflowId: string; runId: string; webhookId: string; token: string; clientId: string }

interface HostileCase {
  name: string;
  method: HTTPMethods;
  url: (c: Ctx) => string;
  /** A JSON value, or a raw body (Buffer / string) sent with `contentType`. */
  payload?: (c: Ctx) => unknown;
  raw?: (c: Ctx) => Buffer | string;
  contentType?: string;
  headers?: (c: Ctx) => Record<string, string>;
  /** Send without the owner's credentials. */
  anonymous?: boolean;
  status: number;
  /** The field the problem must name. */
  field: string;
}

const nested = (depth: number): unknown => {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: 'transform', label: `N${i}`, config: { mapping: {} }, position: { x: i, y: 0 } }));
const bigGraph = { schemaVersion: 1, nodes: nodes(10_000), edges: [] };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const enc = encodeURIComponent;
const sched = (c: Ctx, tail = '') => `/v1/orgs/${c.orgId}/workflows/${c.workflowId}/schedules${tail}`;
/** Bytes that are not UTF-8: a lone continuation byte and an overlong encoding inside a JSON string. */
const invalidUtf8 = (prefix: string) => Buffer.concat([Buffer.from(`${prefix}"`), Buffer.from([0xc0, 0xaf, 0x80, 0xff]), Buffer.from('"}')]);

const wf = (c: Ctx, tail = '') => `/v1/orgs/${c.orgId}/workflows/${c.workflowId}${tail}`;
const runs = (c: Ctx, tail = '') => `/v1/orgs/${c.orgId}/runs${tail}`;
const run = (c: Ctx, tail = '') => `/v1/orgs/${c.orgId}/runs/${c.runId}${tail}`;
const createWf = (c: Ctx) => `/v1/orgs/${c.orgId}/workflows`;

const CASES: HostileCase[] = [
  // Workflows (what compile/deploy read).
  { name: 'workflow name of the wrong type', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 123 }), status: 400, field: '/name' },
  { name: 'a 100,000-character name', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'x'.repeat(100_000) }), status: 400, field: '/name' },
  { name: 'a 10,000-node graph on create', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'Big', definition: bigGraph }), status: 400, field: '/definition/nodes' },
  { name: 'a 10,000-node graph on save', method: 'PATCH', url: (c) => wf(c), payload: () => ({ definitionVersion: 1, definition: bigGraph }), status: 400, field: '/definition/nodes' },
  { name: 'JSON nested 200 levels', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'Deep', description: nested(200) }), status: 400, field: '/' },
  { name: 'SQL in the kebab name', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'S', kebabName: "x'; drop table public.workflows; --" }), status: 400, field: '/kebabName' },
  { name: 'a script tag as kebab name', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'S', kebabName: '<script>alert(1)</script>' }), status: 400, field: '/kebabName' },
  { name: 'an unknown field on create', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'U', isAdmin: true }), status: 400, field: '/isAdmin' },
  { name: 'a negative concurrency', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'N', maxConcurrentExecutions: -1 }), status: 400, field: '/maxConcurrentExecutions' },
  { name: 'an overflowing timeout', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'O', executionTimeoutSeconds: 1e300 }), status: 400, field: '/executionTimeoutSeconds' },
  { name: 'a project id that is not a uuid', method: 'POST', url: createWf, payload: () => ({ projectId: "1' or '1'='1", name: 'P' }), status: 400, field: '/projectId' },
  { name: 'invalid UTF-8 bytes as the body', method: 'POST', url: createWf, raw: () => invalidUtf8('{"name":'), contentType: 'application/json', status: 400, field: '/' },
  { name: 'truncated JSON', method: 'POST', url: createWf, raw: (c) => `{"projectId":"${c.projectId}","name":`, contentType: 'application/json', status: 400, field: '/' },
  { name: 'prototype pollution', method: 'POST', url: createWf, raw: () => '{"__proto__":{"isAdmin":true},"name":"x"}', contentType: 'application/json', status: 400, field: '/' },
  { name: 'a text/plain body', method: 'POST', url: createWf, raw: () => 'name=x', contentType: 'text/plain', status: 415, field: '/headers/content-type' },
  { name: 'a NUL character in a name', method: 'POST', url: createWf, payload: (c) => ({ projectId: c.projectId, name: 'a\u0000b' }), status: 400, field: '/name' },
  { name: 'an unpaired surrogate in a name', method: 'POST', url: createWf, raw: (c) => `{"projectId":"${c.projectId}","name":"\\ud800x"}`, contentType: 'application/json', status: 400, field: '/name' },
  { name: 'an overflowing definitionVersion', method: 'PATCH', url: (c) => wf(c), payload: () => ({ definitionVersion: 2 ** 53, name: 'x' }), status: 400, field: '/definitionVersion' },

  // Compile / deploy / compiled / export.
  { name: 'an unknown field on compile', method: 'POST', url: (c) => wf(c, '/compile'), payload: () => ({ force: true }), status: 400, field: '/force' },
  { name: 'a body that is an array on deploy', method: 'POST', url: (c) => wf(c, '/deploy'), payload: () => [1, 2], status: 400, field: '/' },
  { name: 'a huge deploy wait', method: 'POST', url: (c) => wf(c, '/deploy?wait=99999'), status: 400, field: '/query/wait' },
  { name: 'a negative deploy wait', method: 'POST', url: (c) => wf(c, '/deploy?wait=-5'), status: 400, field: '/query/wait' },
  { name: 'an overflowing deploy wait', method: 'POST', url: (c) => wf(c, '/deploy?wait=1e400'), status: 400, field: '/query/wait' },
  { name: 'a negative version', method: 'GET', url: (c) => wf(c, '/compiled?version=-1'), status: 400, field: '/query/version' },
  { name: 'an int32-overflowing version', method: 'GET', url: (c) => wf(c, '/compiled?version=2147483648'), status: 400, field: '/query/version' },
  { name: 'a version that is not a number', method: 'GET', url: (c) => wf(c, '/export?version=abc'), status: 400, field: '/query/version' },
  { name: 'path traversal as workflow id', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/workflows/${enc('../../etc/passwd')}/compile`, status: 400, field: '/params/workflowId' },
  { name: 'SQL as workflow id', method: 'GET', url: (c) => `/v1/orgs/${c.orgId}/workflows/${enc("1' OR '1'='1")}/compiled`, status: 400, field: '/params/workflowId' },
  { name: 'undeploy with an unknown field', method: 'POST', url: (c) => wf(c, '/undeploy'), payload: () => ({ everything: true }), status: 400, field: '/everything' },

  // Starting runs.
  { name: 'run input of the wrong type', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: '7' } }), status: 400, field: '/input/x' },
  { name: 'run input with a 1.5 MB string', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1, pad: 'a'.repeat(1_500_000) } }), status: 400, field: '/input/pad' },
  { name: 'run input nested 100 levels', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: nested(100) }), status: 400, field: '/' },
  { name: 'SQL as client id', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1 }, clientId: "robert'); drop table public.user_workflow_run;--" }), status: 400, field: '/clientId' },
  { name: 'a context that is an array', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1 }, context: [1, 2] }), status: 400, field: '/context' },
  { name: 'a context with 1,000 keys', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1 }, context: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) }), status: 400, field: '/context' },
  { name: 'a client-chosen status', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1 }, status: 'completed' }), status: 400, field: '/status' },
  { name: 'a 3 MB body', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1, pad: 'a'.repeat(3_000_000) } }), status: 413, field: '/' },
  { name: 'a JSON null body', method: 'POST', url: (c) => wf(c, '/runs'), raw: () => 'null', contentType: 'application/json', status: 400, field: '/' },
  { name: 'invalid UTF-8 run input', method: 'POST', url: (c) => wf(c, '/runs'), raw: () => invalidUtf8('{"input":{"x":'), contentType: 'application/json', status: 400, field: '/' },
  { name: 'a negative number where an integer is expected', method: 'POST', url: (c) => wf(c, '/runs'), raw: () => '{"input":{"x":-1e309}}', contentType: 'application/json', status: 400, field: '/input/x' },

  // Listing runs.
  { name: 'a negative limit', method: 'GET', url: (c) => runs(c, '?limit=-1'), status: 400, field: '/query/limit' },
  { name: 'an overflowing limit', method: 'GET', url: (c) => runs(c, '?limit=99999999999999999999'), status: 400, field: '/query/limit' },
  { name: 'a limit over 200', method: 'GET', url: (c) => runs(c, '?limit=201'), status: 400, field: '/query/limit' },
  { name: 'a cursor with punctuation', method: 'GET', url: (c) => runs(c, `?cursor=${enc("'; select 1; --")}`), status: 400, field: '/query/cursor' },
  { name: 'a cursor of the wrong shape', method: 'GET', url: (c) => runs(c, `?cursor=${b64(['x', 'y'])}`), status: 400, field: '/query/cursor' },
  { name: 'a cursor with an SQL timestamp', method: 'GET', url: (c) => runs(c, `?cursor=${b64(["2026-01-01'); drop table x; --", '00000000-0000-0000-0000-000000000000'])}`), status: 400, field: '/query/cursor' },
  { name: 'q that is not JSON', method: 'GET', url: (c) => runs(c, `?q=${enc('{bad')}`), status: 400, field: '/query/q' },
  { name: 'q that is an array', method: 'GET', url: (c) => runs(c, `?q=${enc('[]')}`), status: 400, field: '/query/q' },
  { name: 'q nested 30 levels', method: 'GET', url: (c) => runs(c, `?q=${enc(JSON.stringify(nested(30)))}`), status: 400, field: '/query/q' },
  { name: 'q of 5,000 characters', method: 'GET', url: (c) => runs(c, `?q=${enc(JSON.stringify({ a: 'x'.repeat(5000) }))}`), status: 400, field: '/query/q' },
  { name: 'q with a NUL escape', method: 'GET', url: (c) => runs(c, `?q=${enc('{"a":"\\u0000"}')}`), status: 400, field: '/query/q/a' },
  { name: 'q with SQL', method: 'GET', url: (c) => runs(c, `?q=${enc("') or 1=1 --")}`), status: 400, field: '/query/q' },
  { name: 'SQL as status', method: 'GET', url: (c) => runs(c, `?status=${enc("running' OR 1=1 --")}`), status: 400, field: '/query/status' },
  { name: 'status given twice', method: 'GET', url: (c) => runs(c, '?status=running&status=failed'), status: 400, field: '/query/status' },
  { name: 'a script as from', method: 'GET', url: (c) => runs(c, `?from=${enc('<script>alert(1)</script>')}`), status: 400, field: '/query/from' },
  { name: 'a workflow id that is almost a uuid', method: 'GET', url: (c) => runs(c, '?workflowId=00000000-0000-0000-0000-00000000000g'), status: 400, field: '/query/workflowId' },
  { name: 'an unknown query parameter', method: 'GET', url: (c) => runs(c, '?orderBy=created_at'), status: 400, field: '/query/orderBy' },
  { name: 'an organisation id that is not a uuid', method: 'GET', url: () => '/v1/orgs/not-a-uuid/runs', status: 400, field: '/params/orgId' },

  // One run.
  { name: 'a run id that is not a uuid', method: 'GET', url: (c) => runs(c, '/12345'), status: 400, field: '/params/runId' },
  { name: 'a NUL as run id', method: 'GET', url: (c) => runs(c, '/%00'), status: 400, field: '/params/runId' },
  { name: 'a signal name of the wrong type', method: 'POST', url: (c) => run(c, '/signal'), payload: () => ({ name: 123 }), status: 400, field: '/name' },
  { name: 'a 10,000-character signal name', method: 'POST', url: (c) => run(c, '/signal'), payload: () => ({ name: 'a'.repeat(10_000) }), status: 400, field: '/name' },
  { name: 'a script as signal name', method: 'POST', url: (c) => run(c, '/signal'), payload: () => ({ name: '<script>x</script>' }), status: 400, field: '/name' },
  { name: 'a signal payload nested 100 levels', method: 'POST', url: (c) => run(c, '/signal'), payload: () => ({ name: 'approve', payload: nested(100) }), status: 400, field: '/' },
  { name: 'a 5,000-character termination reason', method: 'POST', url: (c) => run(c, '/terminate'), payload: () => ({ reason: 'r'.repeat(5000) }), status: 400, field: '/reason' },
  { name: 'a termination reason of the wrong type', method: 'POST', url: (c) => run(c, '/terminate'), payload: () => ({ reason: 42 }), status: 400, field: '/reason' },
  { name: 'SQL as query name', method: 'GET', url: (c) => run(c, `/query?name=${enc("' OR 1=1 --")}`), status: 400, field: '/query/name' },
  { name: 'an unknown field on cancel', method: 'POST', url: (c) => run(c, '/cancel'), payload: () => ({ force: true }), status: 400, field: '/force' },
  { name: 'new input on retry', method: 'POST', url: (c) => run(c, '/retry'), payload: () => ({ input: { x: 99 } }), status: 400, field: '/input' },

  // Schedules.
  { name: 'a cron expression of the wrong type', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: { every: 'minute' } }), status: 400, field: '/cron' },
  { name: 'a 5,000-character cron expression', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: '* '.repeat(2500) }), status: 400, field: '/cron' },
  { name: 'SQL as cron expression', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: "'; drop table x; --" }), status: 400, field: '/cron' },
  { name: 'a cron minute out of range', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: '99 * * * *' }), status: 400, field: '/cron' },
  { name: 'a script as time zone', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: '* * * * *', timezone: '<script>x</script>' }), status: 400, field: '/timezone' },
  { name: 'a negative max runs', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: '* * * * *', maxRuns: -1 }), status: 400, field: '/maxRuns' },
  { name: 'an overflowing max runs', method: 'POST', url: (c) => sched(c), raw: () => '{"cron":"* * * * *","maxRuns":1e999}', contentType: 'application/json', status: 400, field: '/maxRuns' },
  { name: 'an unknown schedule field', method: 'POST', url: (c) => sched(c), payload: () => ({ cron: '* * * * *', every: 5 }), status: 400, field: '/every' },
  { name: 'a schedule id that is not a uuid', method: 'PATCH', url: (c) => sched(c, `/${enc("1' or '1")}`), payload: () => ({ paused: true }), status: 400, field: '/params/scheduleId' },
  { name: 'an unknown schedule', method: 'POST', url: (c) => sched(c, '/00000000-0000-4000-8000-000000000000/trigger'), payload: () => ({}), status: 404, field: '/params/scheduleId' },

  // Webhooks.
  { name: 'a client-chosen webhook token', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/workflows/${c.hookWorkflowId}/webhooks`, payload: () => ({ token: 'wbh_mine' }), status: 400, field: '/token' },
  { name: 'a webhook id that is not a uuid', method: 'DELETE', url: (c) => `/v1/orgs/${c.orgId}/workflows/${c.hookWorkflowId}/webhooks/${enc("1;delete")}`, status: 400, field: '/params/webhookId' },
  { name: 'a script as webhook token', method: 'POST', url: () => `/v1/hooks/${enc('<script>alert(1)</script>')}`, payload: () => ({}), anonymous: true, status: 404, field: '/params/token' },
  { name: 'SQL as webhook token', method: 'POST', url: () => `/v1/hooks/${enc("' OR 1=1 --")}`, payload: () => ({}), anonymous: true, status: 404, field: '/params/token' },
  { name: 'a 201-character webhook token', method: 'POST', url: () => `/v1/hooks/${'a'.repeat(201)}`, payload: () => ({}), anonymous: true, status: 414, field: '/' },
  { name: 'a token that is not valid percent-encoding', method: 'POST', url: () => '/v1/hooks/%E0%A4%A', payload: () => ({}), anonymous: true, status: 400, field: '/' },
  { name: 'an overflowing number in a webhook body', method: 'POST', url: (c) => `/v1/hooks/${c.token}`, raw: () => '{"amount":1e999}', contentType: 'application/json', anonymous: true, status: 400, field: '/amount' },
  { name: 'a 5,000-character token header', method: 'POST', url: () => '/v1/hooks', headers: () => ({ 'x-webhook-token': 't'.repeat(5000) }), payload: () => ({}), anonymous: true, status: 404, field: '/headers/x-webhook-token' },
  { name: 'a webhook body nested 100 levels', method: 'POST', url: (c) => `/v1/hooks/${c.token}`, payload: () => nested(100), anonymous: true, status: 400, field: '/' },
  { name: 'a webhook body of invalid UTF-8', method: 'POST', url: (c) => `/v1/hooks/${c.token}`, raw: () => invalidUtf8('{"a":'), contentType: 'application/json', anonymous: true, status: 400, field: '/' },
  { name: 'a webhook body with a NUL', method: 'POST', url: (c) => `/v1/hooks/${c.token}`, payload: () => ({ a: 'x\u0000' }), anonymous: true, status: 400, field: '/a' },
  { name: 'a 3 MB webhook body', method: 'POST', url: (c) => `/v1/hooks/${c.token}`, payload: () => ({ a: 'x'.repeat(3_000_000) }), anonymous: true, status: 413, field: '/' },
  { name: 'a webhook call with the wrong method', method: 'GET', url: (c) => `/v1/hooks/${c.token}`, anonymous: true, status: 405, field: '/method' },

  // Credentials.
  { name: 'SQL as a bearer token', method: 'GET', url: (c) => runs(c), headers: () => ({ authorization: "Bearer ' OR 1=1 --" }), anonymous: true, status: 401, field: '/headers/authorization' },
  { name: 'a forged API token', method: 'POST', url: (c) => wf(c, '/deploy'), headers: () => ({ authorization: `Bearer wbt_${'A'.repeat(43)}` }), anonymous: true, status: 401, field: '/headers/authorization' },
  { name: 'a garbage session cookie', method: 'POST', url: (c) => wf(c, '/runs'), headers: () => ({ cookie: 'wb_session=<script>' }), payload: () => ({ input: { x: 1 } }), anonymous: true, status: 401, field: '/cookies/wb_session' },
  // Batches and the registry (validation happens before anything is written or started).
  { name: 'SQL as a blueprint step', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/batches`, payload: (c) => ({ clientId: c.projectId, workstreamSlug: 'ws', blueprint: ["x'; drop table public.batches; --"], items: [{}] }), status: 400, field: '/blueprint/0' },
  { name: 'batch items that are not an array', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/batches`, payload: (c) => ({ clientId: c.projectId, workstreamSlug: 'ws', blueprint: ['a'], items: { a: 1 } }), status: 400, field: '/items' },
  { name: 'an unknown client for a batch', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/batches`, payload: (c) => ({ clientId: c.projectId, workstreamSlug: 'ws', blueprint: ['a'], items: [{}] }), status: 400, field: '/clientId' },
  { name: 'an overflowing batch concurrency', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/batches`, payload: (c) => ({ clientId: c.projectId, workstreamSlug: 'ws', blueprint: ['a'], items: [{}], concurrency: 1e300 }), status: 400, field: '/concurrency' },
  { name: 'a NUL character in batch CSV', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/batches`, payload: (c) => ({ clientId: c.projectId, workstreamSlug: 'ws', blueprint: ['a'], csv: 'a\n\u0000' }), status: 400, field: '/csv' },
  { name: 'an unterminated quote in batch CSV', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/batches`, payload: (c) => ({ clientId: c.projectId, workstreamSlug: c.workstreamSlug, blueprint: ['a'], csv: 'a,b\n"x,1' }), status: 400, field: '/csv' },
  { name: 'a javascript: URL for an async step', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/enrichment-registry`, payload: () => ({ slug: 's', workstreamSlug: 'ws', name: 'S', type: 'async', asyncEndpointUrl: 'javascript:alert(1)' }), status: 400, field: '/asyncEndpointUrl' },
  { name: 'a registry config schema that is no JSON Schema', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/enrichment-registry`, payload: (c) => ({ slug: 's', workstreamSlug: c.workstreamSlug, name: 'S', type: 'async', asyncEndpointUrl: 'https://x.test', configSchema: { type: 'nonsense' } }), status: 400, field: '/configSchema/type' },
  { name: 'a malformed batch items cursor', method: 'GET', url: (c) => `/v1/orgs/${c.orgId}/batches/${c.runId}/items?cursor=${b64(['x'])}`, status: 400, field: '/query/cursor' },
  { name: 'a forged batch callback token', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ result: { x: 1 } }), anonymous: true, status: 404, field: '/params/token' },
  { name: 'a batch callback with result and error', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ result: 1, error: 'x' }), anonymous: true, status: 400, field: '/' },
  { name: 'a batch callback whose error is null', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ error: null }), anonymous: true, status: 400, field: '/error' },
  { name: 'a batch callback with neither result nor error', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({}), anonymous: true, status: 400, field: '/' },
  { name: 'a batch callback with an unknown field', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ result: 1, status: 'ok' }), anonymous: true, status: 400, field: '/status' },
  { name: 'a 1.5 MB batch callback (over the callback limit, under the general one)', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ result: 'x'.repeat(1_500_000) }), anonymous: true, status: 413, field: '/' },
  { name: 'a 3 MB batch callback', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ result: 'x'.repeat(3_000_000) }), anonymous: true, status: 413, field: '/' },
  { name: 'a batch callback nested 100 levels', method: 'POST', url: () => `/v1/hooks/batch-callbacks/${'A'.repeat(43)}`, payload: () => ({ result: nested(100) }), anonymous: true, status: 400, field: '/' },

  // Clients, client configs and named configs.
  { name: 'a blank client name', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/clients`, payload: () => ({ name: '   ' }), status: 400, field: '/name' },
  { name: 'a client name with a NUL', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/clients`, payload: () => ({ name: 'a\u0000b' }), status: 400, field: '/name' },
  { name: 'a 5,000-character external reference', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/clients`, payload: () => ({ name: 'C', externalRef: 'r'.repeat(5000) }), status: 400, field: '/externalRef' },
  { name: 'an empty client update', method: 'PATCH', url: (c) => `/v1/orgs/${c.orgId}/clients/${c.clientId}`, payload: () => ({}), status: 400, field: '/' },
  { name: 'an existing client name', method: 'POST', url: (c) => `/v1/orgs/${c.orgId}/clients`, payload: () => ({ name: 'Hostile Co' }), status: 409, field: '/name' },
  { name: 'SQL as workstream of a client config', method: 'PUT', url: (c) => `/v1/orgs/${c.orgId}/clients/${c.clientId}/configs/${enc("ws' or 1=1 --")}/step`, payload: () => ({ config: {} }), status: 400, field: '/params/workstreamSlug' },
  { name: 'a client config that is not an object', method: 'PUT', url: (c) => `/v1/orgs/${c.orgId}/clients/${c.clientId}/configs/${c.workstreamSlug}/step`, payload: () => ({ config: [1] }), status: 400, field: '/config' },
  { name: 'a config for an unknown client step', method: 'PUT', url: (c) => `/v1/orgs/${c.orgId}/clients/${c.clientId}/configs/${c.workstreamSlug}/nope`, payload: () => ({ config: {} }), status: 404, field: '/params/workflowSlug' },
  { name: 'a path as named config name', method: 'POST', url: (c) => wf(c, '/configs'), payload: () => ({ name: '../etc', config: {} }), status: 400, field: '/name' },
  { name: 'a named config for a node the workflow lacks', method: 'POST', url: (c) => wf(c, '/configs'), payload: () => ({ name: 'ghost', config: { ghost: { x: 1 } } }), status: 400, field: '/config/ghost' },
  { name: 'an overflowing named config version', method: 'PATCH', url: (c) => wf(c, '/configs/base/versions/2147483648'), payload: () => ({ isActive: true }), status: 400, field: '/params/version' },
  { name: 'a run with a bad config name', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1 }, configName: "x'; --" }), status: 400, field: '/configName' },
  { name: 'a run with an unknown named config', method: 'POST', url: (c) => wf(c, '/runs'), payload: () => ({ input: { x: 1 }, configName: 'nope' }), status: 400, field: '/configName' },

  // Work queues.
  { name: 'an enqueue without an item', method: 'POST', url: (c) => run(c, '/queues/orders/items'), payload: () => ({}), status: 400, field: '/item' },
  { name: 'a script as queue name', method: 'POST', url: (c) => run(c, `/queues/${enc('<script>')}/items`), payload: () => ({ item: {} }), status: 400, field: '/params/queue' },
  { name: 'a queue the run does not declare', method: 'POST', url: (c) => run(c, '/queues/__proto__/items'), payload: () => ({ item: {} }), status: 404, field: '/params/queue' },
  { name: 'an enqueued item nested 100 levels', method: 'POST', url: (c) => run(c, '/queues/orders/items'), payload: () => ({ item: nested(100) }), status: 400, field: '/' },
];

describe('hostile input', () => {
  let t: TestApp;
  let owner: TestUser;
  let ctx: Ctx;
  let before: Record<string, number>;

  /** Row counts of every table in public and app. */
  const snapshot = () => withAdmin(t.tdb, async (c) => {
    const tables = (await c.query(`select table_schema || '.' || table_name as t from information_schema.tables
                                   where table_schema in ('public', 'app') and table_type = 'BASE TABLE' order by 1`)).rows.map((r: { t: string }) => r.t);
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [schema, name] = table.split('.');
      counts[table] = Number((await c.query(`select count(*) from "${schema}"."${name}"`)).rows[0].count);
    }
    return counts;
  });

  beforeAll(async () => {
    t = await createTestApp('hostile');
    owner = await signUp(t.app, 'owner');
    const viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    const project = await createProject(t.app, owner);
    const workflow = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition });
    const hookWorkflow = await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: webhookDefinition('POST') });
    await deployViaApi(t.app, owner, owner.orgId, workflow.id);
    await deployViaApi(t.app, owner, owner.orgId, hookWorkflow.id);
    const { runId } = await startViaApi(t.app, owner, owner.orgId, workflow.id, { x: 1 });
    const hook = (await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${hookWorkflow.id}/webhooks`, headers: owner.headers })).json();
    const client = (await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/clients`, headers: owner.headers, payload: { name: 'Hostile Co' } })).json();
    ctx = {
      orgId: owner.orgId, projectId: project.id, workstreamSlug: project.workstreamSlug, workflowId: workflow.id, hookWorkflowId: hookWorkflow.id, runId,
      webhookId: hook.id, token: hook.token, clientId: client.id,
    };
    before = await snapshot();
  });
  afterAll(() => t.close());

  it('has at least 50 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const headers: Record<string, string> = { ...(c.anonymous ? {} : owner.headers), ...(c.headers?.(ctx) ?? {}) };
    const opts: InjectOptions = { method: c.method, url: c.url(ctx), headers };
    if (c.raw) {
      opts.payload = c.raw(ctx);
      headers['content-type'] = c.contentType ?? 'application/json';
    } else if (c.payload) opts.payload = c.payload(ctx) as object;
    const res = await t.app.inject(opts);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as { status: number; code: string; requestId: string; errors?: Array<{ field: string }> };
    expect(body.status).toBe(c.status);
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(body.errors?.map((e) => e.field), res.body.slice(0, 500)).toContain(c.field);
    // Never an echo of SQL, a stack trace or a script.
    expect(res.body).not.toMatch(/\n\s+at |<script>/i);
    expect(res.body.length).toBeLessThan(20_000);
  });

  it('leaves every table as it was', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
