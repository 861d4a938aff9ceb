/**
 * Authorisation of every route, table-driven: each route is tried as
 *   anonymous  no credentials
 *   viewer     a viewer of the owner's organisation
 *   outsider   a developer of ANOTHER organisation (who must not even learn the resource exists)
 *   owner      the admin of the organisation
 * and must answer the status listed for each. Every `/v1` route registered by the app must have
 * a row (a test fails otherwise): add new routes to ROUTES below. The app runs on the worker
 * harness (test/engine.ts), so deploys are served and runs really execute.
 *
 * URL templates use `:name` placeholders filled from the fixture (orgId, projectId, workflowId,
 * componentId, promptId, secretName, approvalWorkflowId, runId, ...) and from what `setup` returns. `setup` runs before EACH
 * actor's request, so destructive routes always act on a fresh resource. Actors authenticate
 * with personal API tokens (so sign-out routes do not end the sessions the table relies on).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPMethods } from 'fastify';
import { linearDefinition, workQueueDefinition } from '@workflow-builder/definition';
import {
  addMember, createProject, createWorkflow, signUp, uniq, withAdmin, type TestApp, type TestUser,
} from '../test/helpers.ts';
import { approvalDefinition, createEngineTestApp, deployViaApi, pollRun, startViaApi, webhookDefinition } from '../test/engine.ts';

type Actor = 'anonymous' | 'viewer' | 'outsider' | 'owner';
const ACTORS: readonly Actor[] = ['anonymous', 'viewer', 'outsider', 'owner'];

interface Fixture {
  t: TestApp;
  owner: TestUser;
  viewer: TestUser;
  outsider: TestUser;
  /** Bearer headers per actor. */
  headers: Record<Actor, Record<string, string>>;
  params: Record<string, string>;
}

export interface RouteCase {
  method: HTTPMethods;
  /** The route's URL as registered (`/v1/orgs/:orgId/...`); placeholders are filled in. */
  url: string;
  body?: (f: Fixture, params: Record<string, string>) => unknown;
  /** Extra request headers (e.g. X-Webhook-Token), on top of the actor's credentials. */
  headers?: (f: Fixture, params: Record<string, string>) => Record<string, string>;
  /** Creates what this request needs (fresh for each actor); returns extra URL params. */
  setup?: (f: Fixture) => Promise<Record<string, string>>;
  expect: Record<Actor, number>;
}

/** Org-scoped read: members read, others see nothing. */
const READ = { anonymous: 401, viewer: 200, outsider: 404, owner: 200 };
/** Org-scoped write. */
const WRITE = (ok: number) => ({ anonymous: 401, viewer: 403, outsider: 404, owner: ok });
/** Signed-in, not organisation-scoped. */
const SIGNED_IN = (ok: number) => ({ anonymous: 401, viewer: ok, outsider: ok, owner: ok });
const PUBLIC = (ok: number) => ({ anonymous: ok, viewer: ok, outsider: ok, owner: ok });

async function api<T = Record<string, string>>(f: Fixture, method: HTTPMethods, url: string, payload?: unknown): Promise<T> {
  const res = await f.t.app.inject({ method, url, headers: f.headers.owner, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (res.statusCode >= 300) throw new Error(`setup ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

const newComponent = async (f: Fixture) => ({
  componentId: (await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/components`, { name: `c-${uniq()}`, type: 'activity' })).id!,
});
const newPrompt = async (f: Fixture) => ({
  promptId: (await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/agent-prompts`, { name: `p-${uniq()}`, content: 'Hi {{name}}' })).id!,
});
const newWorkflow = async (f: Fixture) => ({
  workflowId: (await createWorkflow(f.t.app, f.owner, f.owner.orgId, f.params['projectId']!)).id,
});
/** A run of the approval workflow (it waits for a signal, so it stays open). */
const newRun = async (f: Fixture) => ({
  runId: (await startViaApi(f.t.app, f.owner, f.owner.orgId, f.params['approvalWorkflowId']!, {})).runId,
});
/** A deployed workflow that can be undeployed without disturbing the others. */
const newDeployed = async (f: Fixture) => {
  const id = (await createWorkflow(f.t.app, f.owner, f.owner.orgId, f.params['projectId']!, { definition: approvalDefinition(600) })).id;
  await deployViaApi(f.t.app, f.owner, f.owner.orgId, id, 0);
  return { workflowId: id };
};
const newWebhook = (workflowParam: string) => async (f: Fixture) => {
  const created = await api<{ id: string; token: string }>(f, 'POST', `/v1/orgs/${f.owner.orgId}/workflows/${f.params[workflowParam]}/webhooks`);
  return { webhookId: created.id, token: created.token, workflowId: f.params[workflowParam]! };
};
/** An API schedule (paused, yearly) on the deployed approval workflow. */
const newSchedule = async (f: Fixture) => {
  const created = await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/workflows/${f.params['approvalWorkflowId']}/schedules`, { cron: '0 0 1 1 *', paused: true });
  return { scheduleId: created.id!, workflowId: f.params['approvalWorkflowId']! };
};
const newMember = async (f: Fixture) => {
  const u = await signUp(f.t.app, 'member');
  await addMember(f.t.app, f.owner, f.owner.orgId, u, 'viewer');
  return { userId: u.userId };
};

const newClient = async (f: Fixture) => ({
  clientId: (await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/clients`, { name: `Client ${uniq()}` })).id!,
});
/** A client and a registry step (inserted directly: registry routes belong to the batches work) running the fixture workflow. */
const newClientStep = async (f: Fixture) => {
  const { clientId } = await newClient(f);
  const project = await api(f, 'GET', `/v1/orgs/${f.owner.orgId}/projects/${f.params['projectId']}`);
  const workflowSlug = `step-${uniq()}`;
  await withAdmin(f.t.tdb, (c) => c.query(
    `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id) values ($1, $2, $3, 'Step', 'sync', $4)`,
    [f.owner.orgId, workflowSlug, project.workstreamSlug, f.params['workflowId']]));
  await api(f, 'PUT', `/v1/orgs/${f.owner.orgId}/clients/${clientId}/configs/${project.workstreamSlug}/${workflowSlug}`, { config: {} });
  return { clientId, workstreamSlug: project.workstreamSlug!, workflowSlug };
};
/**
 * Batches: registry steps in the approval workflow's workstream. `authz_wait` runs the approval
 * workflow as a child run that waits (the batch stays RUNNING); `authz_down` calls an endpoint
 * that refuses connections (the batch FAILS at once). Created once, on first use.
 */
let batchFixture: Promise<{ workstreamSlug: string; clientId: string }> | null = null;
const batchBasics = (f: Fixture) => (batchFixture ??= (async () => {
  const workstreamSlug = await withAdmin(f.t.tdb, async (c) =>
    (await c.query<{ workstream_slug: string }>('select workstream_slug from public.workflows where id = $1', [f.params['approvalWorkflowId']])).rows[0]!.workstream_slug);
  const registry = `/v1/orgs/${f.owner.orgId}/enrichment-registry`;
  await api(f, 'POST', registry, { slug: 'authz_wait', workstreamSlug, name: 'Wait', type: 'sync', workflowId: f.params['approvalWorkflowId'] });
  await api(f, 'POST', registry, { slug: 'authz_down', workstreamSlug, name: 'Down', type: 'async', asyncEndpointUrl: 'http://127.0.0.1:9/down' });
  return { workstreamSlug, clientId: (await newClient(f)).clientId };
})());
const newRegistryEntry = async (f: Fixture) => {
  const { workstreamSlug } = await batchBasics(f);
  const created = await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/enrichment-registry`,
    { slug: `s_${uniq()}`, workstreamSlug, name: 'Step', type: 'async', asyncEndpointUrl: 'http://127.0.0.1:9/x' });
  return { entryId: created.id!, workstreamSlug };
};
const newBatch = (step: 'authz_wait' | 'authz_down') => async (f: Fixture) => {
  const { workstreamSlug, clientId } = await batchBasics(f);
  const created = await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/batches`, { clientId, workstreamSlug, blueprint: [step], items: [{}] });
  return { batchId: created.batchId!, clientId, workstreamSlug };
};
const newPausedBatch = async (f: Fixture) => {
  const p = await newBatch('authz_wait')(f);
  await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/batches/${p.batchId}/pause`);
  return p;
};
const newFailedBatch = async (f: Fixture) => {
  const p = await newBatch('authz_down')(f);
  await expect.poll(async () => (await api(f, 'GET', `/v1/orgs/${f.owner.orgId}/batches/${p.batchId}`)).status, { timeout: 30_000 }).toBe('FAILED');
  return p;
};
const newNamedConfig = async (f: Fixture) => {
  const name = `cfg-${uniq()}`;
  await api(f, 'POST', `/v1/orgs/${f.owner.orgId}/workflows/${f.params['workflowId']}/configs`, { name, config: {} });
  return { name, version: '1' };
};

const ROUTES: RouteCase[] = [
  // Identity (not organisation-scoped).
  { method: 'POST', url: '/v1/auth/sign-up', expect: PUBLIC(201), body: () => ({ email: `su-${uniq()}@example.test`, password: 'long enough pw', displayName: 'S', organisationName: 'S org' }) },
  { method: 'POST', url: '/v1/auth/sign-in', expect: PUBLIC(200), body: (f) => ({ email: f.owner.email, password: f.owner.password }) },
  { method: 'POST', url: '/v1/auth/sign-out', expect: PUBLIC(204) },
  { method: 'DELETE', url: '/v1/auth/sessions', expect: SIGNED_IN(200) },
  { method: 'GET', url: '/v1/auth/me', expect: SIGNED_IN(200) },
  { method: 'GET', url: '/v1/auth/tokens', expect: SIGNED_IN(200) },
  { method: 'POST', url: '/v1/auth/tokens', expect: SIGNED_IN(201), body: () => ({ name: 'table' }) },
  {
    method: 'DELETE', url: '/v1/auth/tokens/:tokenId', expect: { anonymous: 401, viewer: 404, outsider: 404, owner: 204 },
    setup: async (f) => ({ tokenId: (await api(f, 'POST', '/v1/auth/tokens', { name: 'doomed' })).id! }),
  },
  { method: 'GET', url: '/v1/roles', expect: SIGNED_IN(200) },

  // Organisations and members.
  { method: 'GET', url: '/v1/orgs', expect: SIGNED_IN(200) },
  { method: 'POST', url: '/v1/orgs', expect: SIGNED_IN(201), body: () => ({ name: `Org ${uniq()}` }) },
  { method: 'GET', url: '/v1/orgs/:orgId', expect: READ },
  { method: 'PATCH', url: '/v1/orgs/:orgId', expect: { anonymous: 401, viewer: 403, outsider: 404, owner: 200 }, body: () => ({ name: `Renamed ${uniq()}` }) },
  { method: 'GET', url: '/v1/orgs/:orgId/members', expect: READ },
  {
    method: 'POST', url: '/v1/orgs/:orgId/members', expect: WRITE(201),
    setup: async (f) => ({ email: (await signUp(f.t.app, 'invitee')).email }),
    body: (_f, p) => ({ email: p['email'], role: 'viewer' }),
  },
  { method: 'PATCH', url: '/v1/orgs/:orgId/members/:userId', expect: WRITE(200), setup: newMember, body: () => ({ role: 'developer' }) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/members/:userId', expect: WRITE(204), setup: newMember },

  // Projects, secrets, workers.
  { method: 'GET', url: '/v1/orgs/:orgId/projects', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/projects', expect: WRITE(201), body: () => ({ name: `P ${uniq()}` }) },
  { method: 'GET', url: '/v1/orgs/:orgId/projects/:projectId', expect: READ },
  { method: 'PATCH', url: '/v1/orgs/:orgId/projects/:projectId', expect: WRITE(200), body: () => ({ description: `d ${uniq()}` }) },
  {
    method: 'DELETE', url: '/v1/orgs/:orgId/projects/:projectId', expect: WRITE(204),
    setup: async (f) => ({ projectId: (await createProject(f.t.app, f.owner)).id }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/projects/:projectId/secrets', expect: WRITE(200) },
  {
    method: 'PUT', url: '/v1/orgs/:orgId/projects/:projectId/secrets/:name', expect: WRITE(201),
    setup: async () => ({ name: `S_${uniq()}` }), body: () => ({ value: 'secret' }),
  },
  {
    method: 'DELETE', url: '/v1/orgs/:orgId/projects/:projectId/secrets/:name', expect: WRITE(204),
    setup: async (f) => {
      const name = `S_${uniq()}`;
      await api(f, 'PUT', `/v1/orgs/${f.owner.orgId}/projects/${f.params['projectId']}/secrets/${name}`, { value: 'x' });
      return { name };
    },
  },
  { method: 'GET', url: '/v1/orgs/:orgId/projects/:projectId/workers', expect: READ },

  // Components.
  { method: 'GET', url: '/v1/orgs/:orgId/components', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/components', expect: WRITE(201), body: () => ({ name: `c-${uniq()}`, type: 'activity' }) },
  { method: 'GET', url: '/v1/orgs/:orgId/components/:componentId', expect: READ },
  { method: 'PATCH', url: '/v1/orgs/:orgId/components/:componentId', expect: WRITE(200), body: () => ({ description: uniq() }) },
  { method: 'POST', url: '/v1/orgs/:orgId/components/:componentId/versions', expect: WRITE(201), setup: newComponent, body: () => ({ version: '2.0.0' }) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/components/:componentId', expect: WRITE(204), setup: newComponent },

  // Agent prompts.
  { method: 'GET', url: '/v1/orgs/:orgId/agent-prompts', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/agent-prompts', expect: WRITE(201), body: () => ({ name: `p-${uniq()}`, content: 'Hello' }) },
  { method: 'GET', url: '/v1/orgs/:orgId/agent-prompts/:promptId', expect: READ },
  { method: 'PATCH', url: '/v1/orgs/:orgId/agent-prompts/:promptId', expect: WRITE(200), body: () => ({ description: uniq() }) },
  { method: 'POST', url: '/v1/orgs/:orgId/agent-prompts/:promptId/versions', expect: WRITE(201), setup: newPrompt, body: () => ({ version: '2.0.0' }) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/agent-prompts/:promptId', expect: WRITE(204), setup: newPrompt },

  // Workflows.
  { method: 'GET', url: '/v1/orgs/:orgId/workflows', expect: READ },
  {
    method: 'POST', url: '/v1/orgs/:orgId/workflows', expect: WRITE(201),
    body: (f) => ({ projectId: f.params['projectId'], name: `W ${uniq()}`, definition: linearDefinition }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId', expect: READ },
  { method: 'PATCH', url: '/v1/orgs/:orgId/workflows/:workflowId', expect: WRITE(200), setup: newWorkflow, body: () => ({ definitionVersion: 1, description: 'saved' }) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/workflows/:workflowId', expect: WRITE(204), setup: newWorkflow },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/status', expect: WRITE(200), setup: newWorkflow, body: () => ({ status: 'archived' }) },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/duplicate', expect: WRITE(201), body: () => ({}) },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/versions', expect: READ },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/versions/:version', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/validate', expect: READ, body: () => ({}) },

  // Templates (built-ins are synced into every test database).
  { method: 'GET', url: '/v1/orgs/:orgId/templates', expect: READ },
  { method: 'GET', url: '/v1/orgs/:orgId/templates/:templateId', expect: READ, setup: async () => ({ templateId: 'approval-with-timeout' }) },
  {
    method: 'POST', url: '/v1/orgs/:orgId/templates/:templateId/instantiate', expect: WRITE(201),
    setup: async () => ({ templateId: 'approval-with-timeout' }), body: (f) => ({ projectId: f.params['projectId'], name: `T ${uniq()}` }),
  },

  // Statistics.
  { method: 'GET', url: '/v1/orgs/:orgId/statistics/activities', expect: READ },

  // Deployments (the engine).
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/compile', expect: WRITE(200) },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/deploy', expect: WRITE(200) },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/undeploy', expect: WRITE(204), setup: newDeployed },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/compiled', expect: READ, setup: async (f) => ({ workflowId: f.params['approvalWorkflowId']! }) },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/export', expect: READ, setup: async (f) => ({ workflowId: f.params['approvalWorkflowId']! }) },

  // Runs.
  {
    method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/runs', expect: WRITE(201),
    setup: async (f) => ({ workflowId: f.params['approvalWorkflowId']! }), body: () => ({ input: {} }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/runs', expect: READ },
  { method: 'GET', url: '/v1/orgs/:orgId/runs/:runId', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/runs/:runId/cancel', expect: { anonymous: 401, viewer: 403, outsider: 404, owner: 202 }, setup: newRun },
  { method: 'POST', url: '/v1/orgs/:orgId/runs/:runId/terminate', expect: { anonymous: 401, viewer: 403, outsider: 404, owner: 202 }, setup: newRun, body: () => ({ reason: 'authz' }) },
  { method: 'POST', url: '/v1/orgs/:orgId/runs/:runId/retry', expect: WRITE(201) },
  { method: 'POST', url: '/v1/orgs/:orgId/runs/:runId/signal', expect: { anonymous: 401, viewer: 403, outsider: 404, owner: 202 }, setup: newRun, body: () => ({ name: 'approve', payload: { decision: 'authz' } }) },
  { method: 'GET', url: '/v1/orgs/:orgId/runs/:runId/query', expect: READ },
  {
    method: 'POST', url: '/v1/orgs/:orgId/runs/:runId/queues/:queue/items', expect: WRITE(201),
    setup: async (f) => ({ runId: f.params['queueRunId']!, queue: 'orders' }), body: () => ({ item: { id: `authz-${uniq()}` } }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/runs/:runId/queues/:queue', expect: READ, setup: async (f) => ({ runId: f.params['queueRunId']!, queue: 'orders' }) },

  // Clients, their step configs, named configs and favourites.
  { method: 'GET', url: '/v1/orgs/:orgId/clients', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/clients', expect: WRITE(201), body: () => ({ name: `Client ${uniq()}` }) },
  { method: 'GET', url: '/v1/orgs/:orgId/clients/:clientId', expect: READ, setup: newClient },
  { method: 'PATCH', url: '/v1/orgs/:orgId/clients/:clientId', expect: WRITE(200), setup: newClient, body: () => ({ name: `Renamed ${uniq()}` }) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/clients/:clientId', expect: WRITE(204), setup: newClient },
  { method: 'GET', url: '/v1/orgs/:orgId/clients/:clientId/configs', expect: READ, setup: newClient },
  { method: 'GET', url: '/v1/orgs/:orgId/clients/:clientId/configs/:workstreamSlug/:workflowSlug', expect: READ, setup: newClientStep },
  {
    method: 'PUT', url: '/v1/orgs/:orgId/clients/:clientId/configs/:workstreamSlug/:workflowSlug', expect: WRITE(200), setup: newClientStep,
    body: () => ({ config: { fetch_user: { headers: { 'X-Client': 'authz' } } } }),
  },
  { method: 'DELETE', url: '/v1/orgs/:orgId/clients/:clientId/configs/:workstreamSlug/:workflowSlug', expect: WRITE(204), setup: newClientStep },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/config-schema', expect: READ },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/configs', expect: READ },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/configs', expect: WRITE(201), body: () => ({ name: `cfg-${uniq()}`, config: {} }) },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/configs/:name', expect: READ, setup: newNamedConfig },
  { method: 'PATCH', url: '/v1/orgs/:orgId/workflows/:workflowId/configs/:name/versions/:version', expect: WRITE(200), setup: newNamedConfig, body: () => ({ isActive: false }) },
  { method: 'PUT', url: '/v1/orgs/:orgId/workflows/:workflowId/favorite', expect: WRITE(204) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/workflows/:workflowId/favorite', expect: WRITE(204) },

  // Workstream steps (enrichment registry) and batches; async steps call back without a session.
  { method: 'GET', url: '/v1/orgs/:orgId/enrichment-registry', expect: READ },
  {
    method: 'POST', url: '/v1/orgs/:orgId/enrichment-registry', expect: WRITE(201),
    setup: async (f) => ({ workstreamSlug: (await batchBasics(f)).workstreamSlug }),
    body: (_f, p) => ({ slug: `s_${uniq()}`, workstreamSlug: p['workstreamSlug'], name: 'Step', type: 'async', asyncEndpointUrl: 'http://127.0.0.1:9/x' }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/enrichment-registry/:entryId', expect: READ, setup: newRegistryEntry },
  { method: 'PATCH', url: '/v1/orgs/:orgId/enrichment-registry/:entryId', expect: WRITE(200), setup: newRegistryEntry, body: () => ({ name: `Renamed ${uniq()}` }) },
  { method: 'DELETE', url: '/v1/orgs/:orgId/enrichment-registry/:entryId', expect: WRITE(204), setup: newRegistryEntry },
  {
    method: 'POST', url: '/v1/orgs/:orgId/batches', expect: WRITE(201), setup: async (f) => batchBasics(f),
    body: (_f, p) => ({ clientId: p['clientId'], workstreamSlug: p['workstreamSlug'], blueprint: ['authz_down'], items: [{}] }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/batches', expect: READ },
  { method: 'GET', url: '/v1/orgs/:orgId/batches/:batchId', expect: READ, setup: newBatch('authz_down') },
  { method: 'GET', url: '/v1/orgs/:orgId/batches/:batchId/items', expect: READ, setup: newBatch('authz_down') },
  { method: 'POST', url: '/v1/orgs/:orgId/batches/:batchId/pause', expect: WRITE(202), setup: newBatch('authz_wait') },
  { method: 'POST', url: '/v1/orgs/:orgId/batches/:batchId/resume', expect: WRITE(202), setup: newPausedBatch },
  { method: 'POST', url: '/v1/orgs/:orgId/batches/:batchId/cancel', expect: WRITE(202), setup: newBatch('authz_wait') },
  { method: 'POST', url: '/v1/orgs/:orgId/batches/:batchId/retry-failed', expect: WRITE(202), setup: newFailedBatch },
  {
    method: 'POST', url: '/v1/hooks/batch-callbacks/:token', expect: PUBLIC(404),
    setup: async () => ({ token: 'A'.repeat(43) }), body: () => ({ result: { ok: true } }),
  },

  // Webhooks: managed by members; triggered by anyone holding the token (no session needed).
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/webhooks', expect: WRITE(201) },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/webhooks', expect: READ },
  { method: 'DELETE', url: '/v1/orgs/:orgId/workflows/:workflowId/webhooks/:webhookId', expect: WRITE(204), setup: newWebhook('workflowId') },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules', expect: READ, setup: newSchedule },
  {
    method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules', expect: WRITE(201),
    setup: async (f) => ({ workflowId: f.params['approvalWorkflowId']! }), body: () => ({ cron: '0 0 1 1 *', paused: true }),
  },
  { method: 'GET', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules/:scheduleId', expect: READ, setup: newSchedule },
  { method: 'PATCH', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules/:scheduleId', expect: WRITE(200), setup: newSchedule, body: () => ({ maxRuns: 2 }) },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules/:scheduleId/pause', expect: WRITE(200), setup: newSchedule },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules/:scheduleId/unpause', expect: WRITE(200), setup: newSchedule },
  { method: 'POST', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules/:scheduleId/trigger', expect: WRITE(202), setup: newSchedule },
  { method: 'DELETE', url: '/v1/orgs/:orgId/workflows/:workflowId/schedules/:scheduleId', expect: WRITE(204), setup: newSchedule },
  { method: 'POST', url: '/v1/hooks/:token', expect: PUBLIC(202), body: () => ({ hello: 'authz' }), setup: newWebhook('postHookWorkflowId') },
  { method: 'GET', url: '/v1/hooks/:token', expect: PUBLIC(202), setup: newWebhook('getHookWorkflowId') },
  {
    method: 'POST', url: '/v1/hooks', expect: PUBLIC(202), body: () => ({ hello: 'authz' }),
    setup: newWebhook('postHookWorkflowId'), headers: (_f, p) => ({ 'x-webhook-token': p['token']! }),
  },
  { method: 'GET', url: '/v1/hooks', expect: PUBLIC(202), setup: newWebhook('getHookWorkflowId'), headers: (_f, p) => ({ 'x-webhook-token': p['token']! }) },
];

describe('authorisation of every route', () => {
  const f = {} as Fixture;

  beforeAll(async () => {
    // Runs execute (queries need a worker): the worker harness' database, deploys not awaited by default.
    f.t = await createEngineTestApp('authz', { WB_DEPLOY_WAIT_SECONDS: '0' });
    f.owner = await signUp(f.t.app, 'owner');
    f.viewer = await signUp(f.t.app, 'viewer');
    await addMember(f.t.app, f.owner, f.owner.orgId, f.viewer, 'viewer');
    // A developer of another organisation.
    const otherAdmin = await signUp(f.t.app, 'other-admin');
    f.outsider = await signUp(f.t.app, 'outsider');
    await addMember(f.t.app, otherAdmin, otherAdmin.orgId, f.outsider, 'developer');

    const token = async (u: TestUser) => {
      const res = await f.t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: u.headers, payload: { name: 'authz' } });
      return { authorization: `Bearer ${res.json().token as string}` };
    };
    f.headers = { anonymous: {}, viewer: await token(f.viewer), outsider: await token(f.outsider), owner: await token(f.owner) };
    // From here on the fixture users act with their tokens too (the sign-out rows end sessions).
    f.owner.headers = f.headers.owner;
    f.viewer.headers = f.headers.viewer;
    f.outsider.headers = f.headers.outsider;

    const project = await createProject(f.t.app, f.owner);
    const workflow = await createWorkflow(f.t.app, f.owner, f.owner.orgId, project.id);
    // Runnable workflows in a project of their own (deploys in the first project re-bundle only its worker).
    const engineProject = await createProject(f.t.app, f.owner);
    const approval = await createWorkflow(f.t.app, f.owner, f.owner.orgId, engineProject.id, { definition: approvalDefinition(600) });
    const postHook = await createWorkflow(f.t.app, f.owner, f.owner.orgId, engineProject.id, { definition: webhookDefinition('POST') });
    const getHook = await createWorkflow(f.t.app, f.owner, f.owner.orgId, engineProject.id, { definition: webhookDefinition('GET') });
    const queueWorkflow = await createWorkflow(f.t.app, f.owner, f.owner.orgId, engineProject.id, { definition: workQueueDefinition({ approval: true }) });
    await deployViaApi(f.t.app, f.owner, f.owner.orgId, approval.id, 0);
    await deployViaApi(f.t.app, f.owner, f.owner.orgId, queueWorkflow.id, 0);
    await deployViaApi(f.t.app, f.owner, f.owner.orgId, postHook.id, 0);
    const lastDeploy = await deployViaApi(f.t.app, f.owner, f.owner.orgId, getHook.id, 60);
    expect(lastDeploy.pickedUp).toBe(true);
    const run = await startViaApi(f.t.app, f.owner, f.owner.orgId, approval.id, {});
    // Queries are answered once the run is waiting.
    await pollRun(f.t.app, f.owner, f.owner.orgId, run.runId, (d) => d.steps.some((s) => s.nodeId === 'wait' && s.status === 'running'));
    const queueRun = await startViaApi(f.t.app, f.owner, f.owner.orgId, queueWorkflow.id, {});
    await pollRun(f.t.app, f.owner, f.owner.orgId, queueRun.runId, (d) => d.steps.some((s) => s.nodeId === 'consume' && s.status === 'running'));
    f.params = {
      orgId: f.owner.orgId,
      projectId: project.id,
      workflowId: workflow.id,
      version: '1',
      ...(await newComponent(f)),
      ...(await newPrompt(f)),
      name: 'EXISTING',
      approvalWorkflowId: approval.id,
      postHookWorkflowId: postHook.id,
      getHookWorkflowId: getHook.id,
      runId: run.runId,
      queueRunId: queueRun.runId,
    };
  });
  afterAll(() => f.t.close());

  it('has a row for every registered /v1 route', () => {
    const registered = f.t.app.registeredRoutes
      .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => `${m} ${r.url}`))
      .filter((r) => r.includes(' /v1/') && !r.startsWith('HEAD '));
    const covered = ROUTES.map((r) => `${r.method} ${r.url}`);
    expect([...new Set(registered)].sort()).toEqual([...new Set(covered)].sort());
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', async (_name, route) => {
    const got: Record<string, number> = {};
    for (const actor of ACTORS) {
      const params = { ...f.params, ...(route.setup ? await route.setup(f) : {}) };
      const url = route.url.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
        const value = params[key];
        if (value === undefined) throw new Error(`no fixture value for :${key} in ${route.url}`);
        return encodeURIComponent(value);
      });
      const body = route.body?.(f, params);
      const res = await f.t.app.inject({
        method: route.method, url, headers: { ...f.headers[actor], ...route.headers?.(f, params) }, ...(body === undefined ? {} : { payload: body as object }),
      });
      got[actor] = res.statusCode;
      if (res.statusCode >= 400) {
        // Every refusal is a problem document naming a field, never a leak of the resource.
        expect(res.headers['content-type'], `${actor}: ${res.body}`).toMatch(/^application\/problem\+json/);
        expect(res.json().errors?.length ?? 0, `${actor}: ${res.body}`).toBeGreaterThan(0);
      }
    }
    expect(got).toEqual(route.expect);
  });

  it('leaves no trace of refused writes', async () => {
    // The viewer's and the outsider's attempts above created nothing in the owner's organisation.
    await withAdmin(f.t.tdb, async (c) => {
      const byOthers = await c.query(
        `select (select count(*) from public.projects where org_id = $1 and created_by = any($2)) as projects,
                (select count(*) from public.workflows where org_id = $1 and created_by = any($2)) as workflows,
                (select count(*) from public.components where org_id = $1 and created_by = any($2)) as components,
                (select count(*) from public.user_workflow_run where org_id = $1 and created_by = any($2)) as runs,
                (select count(*) from public.workflow_webhooks where org_id = $1 and created_by = any($2)) as webhooks,
                (select count(*) from public.workflow_compiled_code where org_id = $1 and compiled_by = any($2)) as compiled`,
        [f.owner.orgId, [f.viewer.userId, f.outsider.userId]]);
      expect(Object.values(byOthers.rows[0]).map(Number)).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });
});
