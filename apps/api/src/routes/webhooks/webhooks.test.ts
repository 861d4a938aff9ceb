import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import {
  addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, uniq, withAdmin, type ProjectDto, type TestApp, type TestUser,
} from '../../test/helpers.ts';
import { deployViaApi, doublerDefinition, webhookDefinition } from '../../test/engine.ts';
import { MAX_ACTIVE_WEBHOOKS } from './index.ts';

/** Webhook management and the trigger endpoint (runs start on Temporal; the e2e test executes them). */
describe('webhooks', () => {
  let t: TestApp;
  let owner: TestUser;
  let dev: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  let hooked: string;
  beforeAll(async () => {
    t = await createTestApp('webhooks');
    owner = await signUp(t.app, 'owner');
    dev = await signUp(t.app, 'dev');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, dev, 'developer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
    hooked = (await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Hooked', definition: webhookDefinition('POST') })).id;
    await deployViaApi(t.app, owner, owner.orgId, hooked);
  });
  afterAll(() => t.close());

  const hooksUrl = (workflowId: string, tail = '') => `/v1/orgs/${owner.orgId}/workflows/${workflowId}/webhooks${tail}`;
  const create = async (workflowId: string, user = owner) => {
    const res = await t.app.inject({ method: 'POST', url: hooksUrl(workflowId), headers: user.headers });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; token: string; url: string; workflowId: string; createdBy: string; revokedAt: null };
  };
  const runOf = (runId: string) => withAdmin(t.tdb, async (c) =>
    (await c.query('select channel, input, created_by, request_id from public.user_workflow_run where run_id = $1', [runId])).rows[0]);

  it('creates a token shown once (stored as sha256 hex), lists without tokens and revokes', async () => {
    const hook = await create(hooked);
    expect(hook).toMatchObject({ workflowId: hooked, createdBy: owner.userId, revokedAt: null, token: expect.stringMatching(/^wbh_[A-Za-z0-9_-]{43}$/) });
    expect(hook.url).toBe(`http://localhost:80/v1/hooks/${hook.token}`);
    const stored = await withAdmin(t.tdb, async (c) => (await c.query('select token_hash from public.workflow_webhooks where id = $1', [hook.id])).rows[0].token_hash);
    expect(stored).toBe(createHash('sha256').update(hook.token).digest('hex'));

    const list = await t.app.inject({ method: 'GET', url: hooksUrl(hooked), headers: viewer.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual({ id: hook.id, workflowId: hooked, createdBy: owner.userId, createdAt: expect.any(String), revokedAt: null });
    expect(list.body).not.toContain(hook.token);
    expect(list.body).not.toContain(stored);

    expect((await t.app.inject({ method: 'DELETE', url: hooksUrl(hooked, `/${hook.id}`), headers: dev.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: hooksUrl(hooked, `/${hook.id}`), headers: dev.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: hooksUrl(hooked), headers: viewer.headers })).json().items.map((h: { id: string }) => h.id)).not.toContain(hook.id);
    const all = await t.app.inject({ method: 'GET', url: hooksUrl(hooked, '?includeRevoked=true'), headers: viewer.headers });
    expect(all.json().items.find((h: { id: string }) => h.id === hook.id).revokedAt).toEqual(expect.any(String));
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/${hook.token}`, payload: {} }), 404, 'not_found', '/params/token');
  });

  it('rejects bad management requests with field paths', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: hooksUrl(hooked), headers: viewer.headers }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'POST', url: hooksUrl(hooked), headers: owner.headers, payload: { token: 'mine' } }), 400, 'validation_failed', '/token');
    expectProblem(await t.app.inject({ method: 'POST', url: hooksUrl(crypto.randomUUID()), headers: owner.headers }), 404, 'not_found', '/params/workflowId');
    expectProblem(await t.app.inject({ method: 'DELETE', url: hooksUrl(hooked, `/${crypto.randomUUID()}`), headers: owner.headers }), 404, 'not_found', '/params/webhookId');
    expectProblem(await t.app.inject({ method: 'DELETE', url: hooksUrl(hooked, '/nope'), headers: owner.headers }), 400, 'validation_failed', '/params/webhookId');
    expectProblem(await t.app.inject({ method: 'GET', url: hooksUrl(hooked, '?includeRevoked=maybe'), headers: owner.headers }), 400, 'validation_failed', '/query/includeRevoked');
    const other = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: webhookDefinition() })).id;
    for (let i = 0; i < MAX_ACTIVE_WEBHOOKS; i++) await create(other);
    expectProblem(await t.app.inject({ method: 'POST', url: hooksUrl(other), headers: owner.headers }), 409, 'conflict', '/params/workflowId');
  });

  it('starts a run as the token creator with channel webhook and the request as input', async () => {
    const hook = await create(hooked, dev);
    const requestId = `hook-${uniq()}`;
    const res = await t.app.inject({
      method: 'POST', url: `/v1/hooks/${hook.token}?a=1&a=2&b=x`,
      headers: { 'x-request-id': requestId, 'x-signature': 'sig', 'user-agent': 'tests', cookie: 'wb_session=abc', authorization: 'Bearer secret', 'accept-language': 'fr' },
      payload: { event: 'created', id: 7 },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ runId: expect.any(String), temporalWorkflowId: `wb-${res.json().runId}`, requestId });
    expect(await runOf(res.json().runId)).toEqual({
      channel: 'webhook', created_by: dev.userId, request_id: requestId,
      input: {
        method: 'POST', query: { a: ['1', '2'], b: 'x' }, body: { event: 'created', id: 7 },
        headers: { 'content-type': 'application/json', 'user-agent': 'tests', 'x-signature': 'sig', 'x-request-id': requestId },
      },
    });

    // Form posts, and the token in a header.
    const form = await t.app.inject({
      method: 'POST', url: '/v1/hooks', headers: { 'x-webhook-token': hook.token, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=hi+there&n=1&n=2',
    });
    expect(form.statusCode, form.body).toBe(202);
    const formRun = await runOf(form.json().runId);
    expect(formRun.input.body).toEqual({ text: 'hi there', n: ['1', '2'] });
    expect(formRun.input.headers).not.toHaveProperty('x-webhook-token');

    // The creator loses the developer role: the token stops working.
    await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}/members/${dev.userId}`, headers: owner.headers, payload: { role: 'viewer' } });
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/${hook.token}`, payload: {} }), 404, 'not_found', '/params/token');
    await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${owner.orgId}/members/${dev.userId}`, headers: owner.headers, payload: { role: 'developer' } });
    expect((await t.app.inject({ method: 'POST', url: `/v1/hooks/${hook.token}`, payload: {} })).statusCode).toBe(202);
  });

  it('answers 404, 405, 409 and 400 for calls that cannot start a run, recording nothing', async () => {
    const count = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.user_workflow_run')).rows[0].count));
    const before = await count();
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/hooks/wbh_short', payload: {} }), 404, 'not_found', '/params/token');
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/wbh_${'A'.repeat(43)}`, payload: {} }), 404, 'not_found', '/params/token');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/hooks', payload: {} }), 400, 'validation_failed', '/headers/x-webhook-token');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/hooks', headers: { 'x-webhook-token': 'nope' }, payload: {} }), 404, 'not_found', '/headers/x-webhook-token');

    const hook = await create(hooked);
    const get = await t.app.inject({ method: 'GET', url: `/v1/hooks/${hook.token}` });
    expectProblem(get, 405, 'method_not_allowed', '/method');
    expect(get.headers['allow']).toBe('POST');
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/${hook.token}`, headers: { 'content-type': 'text/plain' }, payload: 'hi' }), 415, 'unsupported_media_type');
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/${hook.token}`, headers: { 'content-type': 'application/json' }, payload: '{"a":' }), 400, 'validation_failed', '/');

    // A workflow triggered manually.
    const manual = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: doublerDefinition })).id;
    await deployViaApi(t.app, owner, owner.orgId, manual);
    const manualHook = await create(manual);
    const notHook = await t.app.inject({ method: 'POST', url: `/v1/hooks/${manualHook.token}`, payload: { x: 1 } });
    expectProblem(notHook, 409, 'conflict', '/params/token');
    expect(notHook.json().errors[0].code).toBe('not_webhook_triggered');

    // Not deployed.
    const draft = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: webhookDefinition() })).id;
    const draftHook = await create(draft);
    const undeployed = await t.app.inject({ method: 'POST', url: `/v1/hooks/${draftHook.token}`, payload: {} });
    expectProblem(undeployed, 409, 'conflict', '/params/token');
    expect(undeployed.json().errors[0].code).toBe('not_deployed');

    // An input schema on the webhook request: problems name the request's own fields.
    const strict: WorkflowDefinition = {
      ...webhookDefinition(),
      inputSchema: { type: 'object', properties: { body: { type: 'object', properties: { userId: { type: 'integer' } }, required: ['userId'] } }, required: ['body'] },
    };
    const strictWf = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: strict })).id;
    await deployViaApi(t.app, owner, owner.orgId, strictWf);
    const strictHook = await create(strictWf);
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/${strictHook.token}`, payload: { userId: 'x' } }), 400, 'validation_failed', '/userId');
    expect(await count()).toBe(before);
    expect((await t.app.inject({ method: 'POST', url: `/v1/hooks/${strictHook.token}`, payload: { userId: 3 } })).statusCode).toBe(202);
  });

  it('accepts GET for triggers configured with method GET', async () => {
    const getWf = (await createWorkflow(t.app, owner, owner.orgId, project.id, { definition: webhookDefinition('GET') })).id;
    await deployViaApi(t.app, owner, owner.orgId, getWf);
    const hook = await create(getWf);
    const res = await t.app.inject({ method: 'GET', url: `/v1/hooks/${hook.token}?ping=1` });
    expect(res.statusCode, res.body).toBe(202);
    expect((await runOf(res.json().runId)).input).toMatchObject({ method: 'GET', query: { ping: '1' }, body: null });
    expectProblem(await t.app.inject({ method: 'POST', url: `/v1/hooks/${hook.token}`, payload: {} }), 405, 'method_not_allowed', '/method');
  });

  it('limits calls per token and per IP', async () => {
    const limited = await createTestApp('webhooks-limits', { WB_WEBHOOK_RATE_LIMIT_PER_TOKEN: '2', WB_WEBHOOK_RATE_LIMIT_PER_IP: '5' });
    try {
      const token = `wbh_${'B'.repeat(43)}`;
      const call = (tk: string) => limited.app.inject({ method: 'POST', url: `/v1/hooks/${tk}`, payload: {} });
      expect((await call(token)).statusCode).toBe(404);
      expect((await call(token)).statusCode).toBe(404);
      const third = await call(token);
      expectProblem(third, 429, 'rate_limited', '/params/token');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await call(`wbh_${'C'.repeat(43)}`)).statusCode).toBe(404);
      expect((await call(`wbh_${'D'.repeat(43)}`)).statusCode).toBe(404);
      expectProblem(await call(`wbh_${'E'.repeat(43)}`), 429, 'rate_limited', '/');
    } finally {
      await limited.close();
    }
  });
});
