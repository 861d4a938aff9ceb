import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { resolveClientConfigOverrides } from '@workflow-builder/engine';
import { withCaller } from '@workflow-builder/db';
import { createProject, createWorkflow, expectProblem, signUp, uniq, withAdmin, type ProjectDto, type TestUser } from '../../test/helpers.ts';
import { createEngineTestApp, deployViaApi, pollRun, startViaApi, type EngineTestApp } from '../../test/engine.ts';

/**
 * Configuration layers on real runs (real Postgres, Temporal dev server and worker): the client
 * config and named configs reach the HTTP step (seen by a local server), and config_snapshot is
 * exactly the merged config the nodes ran with.
 */
describe('client and named configs in runs', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  let server: Server;
  let base: string;
  const seen: Array<{ path: string; source: string | undefined; tier: string | undefined }> = [];

  /** trigger → fetch (GET <base>/default, X-Source: node) → end { path, source }. */
  const fetchDefinition = (): WorkflowDefinition => ({
    schemaVersion: 1,
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: { x: 0, y: 0 } },
      { id: 'fetch', kind: 'http.request', label: 'Fetch', config: { url: `${base}/default`, method: 'GET', headers: { 'X-Source': 'node', 'X-Tier': 'node' } }, position: { x: 1, y: 0 } },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { path: '{{ steps.fetch.output.body.path }}', source: '{{ steps.fetch.output.body.source }}', tier: '{{ steps.fetch.output.body.tier }}' } }, position: { x: 2, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'fetch' }, { id: 'e2', source: 'fetch', target: 'done' }],
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const hit = { path: req.url ?? '', source: req.headers['x-source'] as string | undefined, tier: req.headers['x-tier'] as string | undefined };
      seen.push(hit);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(hit));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createEngineTestApp('client-config-runs');
    owner = await signUp(t.app, 'owner');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url: `/v1/orgs/${owner.orgId}${path}`, headers: owner.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const registerStep = (slug: string, project: ProjectDto, workflowId: string) => withAdmin(t.tdb, (c) => c.query(
    `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id) values ($1, $2, $3, $4, 'sync', $5)`,
    [owner.orgId, slug, project.workstreamSlug, `Step ${slug}`, workflowId]));
  const deployedWorkflow = async (project: ProjectDto) => {
    const wf = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: `Fetch ${uniq()}`, definition: fetchDefinition() });
    await deployViaApi(t.app, owner, owner.orgId, wf.id, 30);
    return wf.id;
  };
  const snapshotOf = (runId: string) => withAdmin(t.tdb, async (c) => (await c.query('select config_snapshot, client_id, workstream_slug from public.user_workflow_run where run_id = $1', [runId])).rows[0]);
  const run = async (workflowId: string, extra: Record<string, unknown>) => {
    const { runId } = await startViaApi(t.app, owner, owner.orgId, workflowId, {}, extra);
    const detail = await pollRun(t.app, owner, owner.orgId, runId);
    expect(detail.run.status, JSON.stringify(detail.run)).toBe('completed');
    return { runId, detail, output: detail.run.output as { path: string; source: string; tier: string } };
  };

  it('a client config overrides the HTTP step; config_snapshot is the merged config that ran', async () => {
    const project = await createProject(t.app, owner);
    const workflowId = await deployedWorkflow(project);
    const slug = `fetch-${uniq()}`;
    await registerStep(slug, project, workflowId);
    const client = await api('POST', '/clients', { name: `Acme ${uniq()}` });
    await api('PUT', `/clients/${client.id}/configs/${project.workstreamSlug}/${slug}`, { config: { fetch: { url: `${base}/acme`, headers: { 'X-Source': 'client' } } } });

    const plain = await run(workflowId, {});
    expect(plain.output).toEqual({ path: '/default', source: 'node', tier: 'node' });
    expect((await snapshotOf(plain.runId)).config_snapshot).toBeNull();

    const { runId, output, detail } = await run(workflowId, { clientId: client.id });
    expect(output).toEqual({ path: '/acme', source: 'client', tier: 'node' });
    expect(seen.at(-1)).toEqual({ path: '/acme', source: 'client', tier: 'node' });
    const row = await snapshotOf(runId);
    expect(row.client_id).toBe(client.id);
    const fetchNode = fetchDefinition().nodes[1]!;
    expect(row.config_snapshot).toEqual({
      nodes: {
        start: {},
        // http.request defaults filled in, as the compiled NODES table has them.
        fetch: { ...fetchNode.config, url: `${base}/acme`, headers: { 'X-Source': 'client', 'X-Tier': 'node' }, timeoutMs: 10_000, maxResponseBytes: 1_048_576, responseType: 'json' },
        done: fetchDefinition().nodes[2]!.config,
      },
      overrides: { fetch: { url: `${base}/acme`, headers: { 'X-Source': 'client' } } },
      namedConfig: null,
      clientConfig: { clientId: client.id, workflowSlug: slug, workstreamSlug: project.workstreamSlug },
    });
    // The step's recorded input is the same config, templates evaluated.
    const step = detail.steps.find((s) => s.nodeId === 'fetch') as { input?: unknown } | undefined;
    expect(step?.input).toEqual((row.config_snapshot as { nodes: Record<string, unknown> }).nodes['fetch']);
  }, 90_000);

  it('named configs: newest active version by default, an explicit version, and precedence node < named < client', async () => {
    const project = await createProject(t.app, owner);
    const workflowId = await deployedWorkflow(project);
    const slug = `fetch-${uniq()}`;
    await registerStep(slug, project, workflowId);
    await api('POST', `/workflows/${workflowId}/configs`, { name: 'tiered', config: { fetch: { url: `${base}/named-v1`, headers: { 'X-Tier': 'v1' } } } });
    await api('POST', `/workflows/${workflowId}/configs`, { name: 'tiered', config: { fetch: { url: `${base}/named-v2`, headers: { 'X-Tier': 'v2' } } } });
    await api('POST', `/workflows/${workflowId}/configs`, { name: 'tiered', config: { fetch: { url: `${base}/named-v3`, headers: { 'X-Tier': 'v3' } } } });
    await api('PATCH', `/workflows/${workflowId}/configs/tiered/versions/3`, { isActive: false });

    const newest = await run(workflowId, { configName: 'tiered' });
    expect(newest.output).toEqual({ path: '/named-v2', source: 'node', tier: 'v2' });
    expect((await snapshotOf(newest.runId)).config_snapshot).toMatchObject({ namedConfig: { name: 'tiered', version: 2 }, clientConfig: null });

    const pinned = await run(workflowId, { configName: 'tiered', configVersion: 1 });
    expect(pinned.output).toEqual({ path: '/named-v1', source: 'node', tier: 'v1' });
    expect((await snapshotOf(pinned.runId)).config_snapshot).toMatchObject({ namedConfig: { name: 'tiered', version: 1 } });

    const start = (payload: unknown) => t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${workflowId}/runs`, headers: owner.headers, payload: payload as object });
    expectProblem(await start({ configName: 'tiered', configVersion: 3 }), 400, 'validation_failed', '/configVersion');
    expectProblem(await start({ configName: 'tiered', configVersion: 7 }), 400, 'validation_failed', '/configVersion');
    expectProblem(await start({ configName: 'missing' }), 400, 'validation_failed', '/configName');
    expectProblem(await start({ configVersion: 1 }), 400, 'validation_failed', '/configName');

    // The client's URL beats the named config's; the named header survives where the client sets none.
    const client = await api('POST', '/clients', { name: `Beta ${uniq()}` });
    await api('PUT', `/clients/${client.id}/configs/${project.workstreamSlug}/${slug}`, { config: { fetch: { url: `${base}/client` } } });
    const layered = await run(workflowId, { configName: 'tiered', clientId: client.id });
    expect(layered.output).toEqual({ path: '/client', source: 'node', tier: 'v2' });
    expect((await snapshotOf(layered.runId)).config_snapshot).toMatchObject({
      nodes: { fetch: { url: `${base}/client`, headers: { 'X-Source': 'node', 'X-Tier': 'v2' } } },
      namedConfig: { name: 'tiered', version: 2 },
      clientConfig: { clientId: client.id, workflowSlug: slug, workstreamSlug: project.workstreamSlug },
    });

    // A retry runs for the same client with the same named config version, even after a newer one.
    await api('POST', `/workflows/${workflowId}/configs`, { name: 'tiered', config: { fetch: { headers: { 'X-Tier': 'v4' } } } });
    const retried = await api('POST', `/runs/${layered.runId}/retry`);
    const detail = await pollRun(t.app, owner, owner.orgId, retried.runId);
    expect(detail.run.output).toEqual({ path: '/client', source: 'node', tier: 'v2' });
    expect((await snapshotOf(retried.runId)).config_snapshot).toMatchObject({ namedConfig: { name: 'tiered', version: 2 }, clientConfig: { workflowSlug: slug } });
  }, 120_000);

  it('a workflow run by two steps of its workstream needs workflowSlug to pick the client config', async () => {
    const project = await createProject(t.app, owner);
    const workflowId = await deployedWorkflow(project);
    const [first, second] = [`first-${uniq()}`, `second-${uniq()}`];
    await registerStep(first, project, workflowId);
    await registerStep(second, project, workflowId);
    const client = await api('POST', '/clients', { name: `Delta ${uniq()}` });
    await api('PUT', `/clients/${client.id}/configs/${project.workstreamSlug}/${first}`, { config: { fetch: { url: `${base}/first` } } });
    await api('PUT', `/clients/${client.id}/configs/${project.workstreamSlug}/${second}`, { config: { fetch: { url: `${base}/second` } } });
    const count = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.user_workflow_run where workflow_id = $1', [workflowId])).rows[0].count));
    const before = await count();
    const res = await t.app.inject({ method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${workflowId}/runs`, headers: owner.headers, payload: { clientId: client.id } });
    expectProblem(res, 400, 'validation_failed', '/workflowSlug');
    expect(await count(), 'nothing recorded').toBe(before);
    expect((await run(workflowId, { clientId: client.id, workflowSlug: second })).output.path).toBe('/second');
    expect((await run(workflowId, { clientId: client.id, workflowSlug: first })).output.path).toBe('/first');
  }, 120_000);

  it('workflowSlug must name a step of the workstream that runs this workflow (400, nothing recorded)', async () => {
    const project = await createProject(t.app, owner);
    const [workflowId, otherId] = [await deployedWorkflow(project), await deployedWorkflow(project)];
    const [own, other] = [`own-${uniq()}`, `other-${uniq()}`];
    await registerStep(own, project, workflowId);
    await registerStep(other, project, otherId);
    const client = await api('POST', '/clients', { name: `Epsilon ${uniq()}` });
    await api('PUT', `/clients/${client.id}/configs/${project.workstreamSlug}/${other}`, { config: { fetch: { url: `${base}/other` } } });
    const count = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.user_workflow_run where workflow_id = $1', [workflowId])).rows[0].count));
    const before = await count();
    const start = (workflowSlug: string) => t.app.inject({
      method: 'POST', url: `/v1/orgs/${owner.orgId}/workflows/${workflowId}/runs`, headers: owner.headers, payload: { clientId: client.id, workflowSlug },
    });
    // The other workflow's step: its client config was checked against the other workflow's nodes.
    expectProblem(await start(other), 400, 'validation_failed', '/workflowSlug');
    expectProblem(await start(`missing-${uniq()}`), 400, 'validation_failed', '/workflowSlug');
    expect(await count(), 'nothing recorded').toBe(before);
    expect((await run(workflowId, { clientId: client.id, workflowSlug: own })).output.path).toBe('/default');
  }, 120_000);

  it('composite keys: the same step slug in two workstreams resolves to each workstream\'s own workflow and config', async () => {
    const [pa, pb] = [await createProject(t.app, owner), await createProject(t.app, owner)];
    const [wa, wb] = [await deployedWorkflow(pa), await deployedWorkflow(pb)];
    const slug = `normalize-${uniq()}`;
    await registerStep(slug, pa, wa);
    await registerStep(slug, pb, wb);
    const client = await api('POST', '/clients', { name: `Gamma ${uniq()}` });
    await api('PUT', `/clients/${client.id}/configs/${pa.workstreamSlug}/${slug}`, { config: { fetch: { url: `${base}/ws-a` } } });
    await api('PUT', `/clients/${client.id}/configs/${pb.workstreamSlug}/${slug}`, { config: { fetch: { url: `${base}/ws-b` } } });

    // Run start with a client.
    const a = await run(wa, { clientId: client.id });
    const b = await run(wb, { clientId: client.id });
    expect([a.output.path, b.output.path]).toEqual(['/ws-a', '/ws-b']);
    expect((await snapshotOf(a.runId)).workstream_slug).toBe(pa.workstreamSlug);
    expect((await snapshotOf(b.runId)).workstream_slug).toBe(pb.workstreamSlug);

    // The lookup the batch orchestrator calls.
    const caller = { authUserId: (await withAdmin(t.tdb, async (c) => (await c.query('select auth_user_id from public.users where id = $1', [owner.userId])).rows[0].auth_user_id)) as string, orgId: owner.orgId };
    const [ra, rb, none] = await withCaller(t.app.db, caller, async (tx) => [
      await resolveClientConfigOverrides(tx, { clientId: client.id, workflowSlug: slug, workstreamSlug: pa.workstreamSlug }),
      await resolveClientConfigOverrides(tx, { clientId: client.id, workflowSlug: slug, workstreamSlug: pb.workstreamSlug }),
      await resolveClientConfigOverrides(tx, { clientId: client.id, workflowSlug: `${slug}-x`, workstreamSlug: pa.workstreamSlug }),
    ]);
    expect([ra, rb, none]).toEqual([{ fetch: { url: `${base}/ws-a` } }, { fetch: { url: `${base}/ws-b` } }, null]);

    // Registry reads through the API return each workstream's own step.
    const listed = (await api('GET', `/clients/${client.id}/configs`)).items.filter((i: { workflowSlug: string }) => i.workflowSlug === slug);
    expect(listed.map((i: { workstreamSlug: string; workflowId: string }) => [i.workstreamSlug, i.workflowId]).sort())
      .toEqual([[pa.workstreamSlug, wa], [pb.workstreamSlug, wb]].sort());
  }, 120_000);
});
