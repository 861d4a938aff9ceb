import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember, createProject, createTestApp, createWorkflow, expectProblem, signUp, uniq, withAdmin, type ProjectDto, type TestApp, type TestUser,
} from '../../test/helpers.ts';

/** Clients, their step configs, named configs and favourites: validation and storage (no runs). */
describe('clients and configs', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  let workflowId: string;
  beforeAll(async () => {
    t = await createTestApp('clients');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
    workflowId = (await createWorkflow(t.app, owner, owner.orgId, project.id)).id;
  });
  afterAll(() => t.close());

  const url = (tail = '') => `/v1/orgs/${owner.orgId}${tail}`;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: unknown, user = owner) =>
    t.app.inject({ method, url: url(path), headers: user.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const newClient = async (name = `Acme ${uniq()}`) => {
    const res = await call('POST', '/clients', { name });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string };
  };
  /** A registry step running the linear workflow (the batches work owns registry routes). */
  const registerStep = (slug: string, workstreamSlug = project.workstreamSlug, wf = workflowId) => withAdmin(t.tdb, (c) => c.query(
    `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id) values ($1, $2, $3, $4, 'sync', $5)`,
    [owner.orgId, slug, workstreamSlug, `Step ${slug}`, wf]));

  it('creates, lists, renames and deletes clients', async () => {
    const c = await newClient('  Acme Corp  ');
    expect(c.name).toBe('Acme Corp');
    expectProblem(await call('POST', '/clients', { name: 'Acme Corp' }), 409, 'conflict', '/name');
    expectProblem(await call('POST', '/clients', { name: '' }), 400, 'validation_failed', '/name');
    expectProblem(await call('POST', '/clients', { name: 'x', extra: 1 }), 400, 'validation_failed');
    expectProblem(await call('POST', '/clients', { name: 'By viewer' }, viewer), 403, 'forbidden');

    const list = await call('GET', '/clients?search=acme', undefined, viewer);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(c.id);

    const renamed = await call('PATCH', `/clients/${c.id}`, { name: 'Acme Inc', externalRef: 'crm-1' });
    expect(renamed.json()).toMatchObject({ id: c.id, name: 'Acme Inc', externalRef: 'crm-1' });
    expectProblem(await call('PATCH', `/clients/${c.id}`, {}), 400, 'validation_failed');
    expectProblem(await call('GET', `/clients/${crypto.randomUUID()}`), 404, 'not_found', '/params/clientId');

    expect((await call('DELETE', `/clients/${c.id}`)).statusCode).toBe(204);
    expectProblem(await call('DELETE', `/clients/${c.id}`), 404, 'not_found', '/params/clientId');
  });

  it('refuses to delete a client that has batches', async () => {
    const c = await newClient();
    await withAdmin(t.tdb, (db) => db.query(
      `insert into public.batches (org_id, client_id, workstream_slug, blueprint) values ($1, $2, $3, '{}')`, [owner.orgId, c.id, project.workstreamSlug]));
    expectProblem(await call('DELETE', `/clients/${c.id}`), 409, 'conflict', '/params/clientId');
    expect((await call('GET', `/clients/${c.id}`)).statusCode).toBe(200);
  });

  it('saves a client config of a step, validated against the step workflow (400 naming the field, nothing written)', async () => {
    const c = await newClient();
    const slug = `enrich-${uniq()}`;
    await registerStep(slug);
    const path = `/clients/${c.id}/configs/${project.workstreamSlug}/${slug}`;

    const empty = await call('GET', path, undefined, viewer);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ workflowSlug: slug, workstreamSlug: project.workstreamSlug, workflowId, config: null });
    expect(Object.keys(empty.json().schema.properties)).toEqual(['fetch_user', 'shape', 'end']);

    expectProblem(await call('PUT', path, { config: { fetch_user: { url: 42 } } }), 400, 'validation_failed', '/config/fetch_user/url');
    expectProblem(await call('PUT', path, { config: { fetch_user: { method: 'FETCH' } } }), 400, 'validation_failed', '/config/fetch_user/method');
    expectProblem(await call('PUT', path, { config: { ghost: { url: 'https://x.test' } } }), 400, 'validation_failed', '/config/ghost');
    expectProblem(await call('PUT', path, { config: {} }, viewer), 403, 'forbidden');
    const stored = () => withAdmin(t.tdb, async (db) => (await db.query('select config from public.client_workflow_configs where client_id = $1', [c.id])).rows);
    expect(await stored()).toEqual([]);

    const config = { fetch_user: { url: 'https://client.test/users', headers: { 'X-Client': 'acme' } } };
    const saved = await call('PUT', path, { config });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ config, updatedAt: expect.any(String) });
    const replaced = await call('PUT', path, { config: { end: { output: { ok: 'yes' } } } });
    expect(replaced.json().config).toEqual({ end: { output: { ok: 'yes' } } });
    expect(await stored()).toEqual([{ config: { end: { output: { ok: 'yes' } } } }]);

    const list = await call('GET', `/clients/${c.id}/configs?workstreamSlug=${project.workstreamSlug}`, undefined, viewer);
    expect(list.json().items.find((i: { workflowSlug: string }) => i.workflowSlug === slug)).toMatchObject({ config: { end: { output: { ok: 'yes' } } } });

    expectProblem(await call('PUT', `/clients/${c.id}/configs/${project.workstreamSlug}/no-such-step`, { config: {} }), 404, 'not_found', '/params/workflowSlug');
    expectProblem(await call('PUT', `/clients/${c.id}/configs/Bad Slug/${slug}`, { config: {} }), 400, 'validation_failed', '/params/workstreamSlug');
    expect((await call('DELETE', path)).statusCode).toBe(204);
    expectProblem(await call('DELETE', path), 404, 'not_found');
  });

  it('keeps configs apart per workstream: the same step slug in two workstreams', async () => {
    const other = await createProject(t.app, owner);
    const otherWf = (await createWorkflow(t.app, owner, owner.orgId, other.id)).id;
    const slug = `shared-${uniq()}`;
    await registerStep(slug);
    await registerStep(slug, other.workstreamSlug, otherWf);
    const c = await newClient();
    const a = { fetch_user: { url: 'https://a.test' } };
    const b = { fetch_user: { url: 'https://b.test' } };
    expect((await call('PUT', `/clients/${c.id}/configs/${project.workstreamSlug}/${slug}`, { config: a })).statusCode).toBe(200);
    expect((await call('PUT', `/clients/${c.id}/configs/${other.workstreamSlug}/${slug}`, { config: b })).statusCode).toBe(200);
    expect((await call('GET', `/clients/${c.id}/configs/${project.workstreamSlug}/${slug}`)).json()).toMatchObject({ workflowId, config: a });
    expect((await call('GET', `/clients/${c.id}/configs/${other.workstreamSlug}/${slug}`)).json()).toMatchObject({ workflowId: otherWf, config: b });
    const listed = (await call('GET', `/clients/${c.id}/configs?workstreamSlug=${other.workstreamSlug}`)).json().items;
    expect(listed.filter((i: { workflowSlug: string }) => i.workflowSlug === slug)).toEqual([expect.objectContaining({ workstreamSlug: other.workstreamSlug, config: b })]);
  });

  it('versions named configs: new versions, old ones immutable, activate/deactivate', async () => {
    const base = `/workflows/${workflowId}`;
    expect((await call('GET', `${base}/config-schema`, undefined, viewer)).json().schema.properties).toHaveProperty('fetch_user');
    const v1 = await call('POST', `${base}/configs`, { name: 'staging', config: { fetch_user: { url: 'https://v1.test' } } });
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ name: 'staging', version: 1, isActive: true, createdBy: owner.userId });
    const v2 = await call('POST', `${base}/configs`, { name: 'staging', config: { fetch_user: { url: 'https://v2.test' } } });
    expect(v2.json()).toMatchObject({ version: 2, config: { fetch_user: { url: 'https://v2.test' } } });
    expect((await call('POST', `${base}/configs`, { name: 'other', config: {} })).json().version).toBe(1);

    expectProblem(await call('POST', `${base}/configs`, { name: 'staging', config: { fetch_user: { timeoutMs: 'slow' } } }), 400, 'validation_failed', '/config/fetch_user/timeoutMs');
    expectProblem(await call('POST', `${base}/configs`, { name: 'bad name!', config: {} }), 400, 'validation_failed', '/name');
    expectProblem(await call('POST', `${base}/configs`, { name: 'x', config: {} }, viewer), 403, 'forbidden');

    const deactivated = await call('PATCH', `${base}/configs/staging/versions/2`, { isActive: false });
    expect(deactivated.json()).toMatchObject({ version: 2, isActive: false });
    expectProblem(await call('PATCH', `${base}/configs/staging/versions/9`, { isActive: false }), 404, 'not_found', '/params/version');
    const versions = (await call('GET', `${base}/configs/staging`, undefined, viewer)).json().items;
    expect(versions.map((v: { version: number; isActive: boolean }) => [v.version, v.isActive])).toEqual([[2, false], [1, true]]);
    expect((await call('GET', `${base}/configs`)).json().items.map((v: { name: string; version: number }) => `${v.name}@${v.version}`)).toEqual(['other@1', 'staging@2', 'staging@1']);
    expectProblem(await call('GET', `${base}/configs/nope`), 404, 'not_found', '/params/name');

    // Even the owner's connection cannot rewrite a saved version.
    await expect(withAdmin(t.tdb, (c) => c.query(`update public.user_workflow_config set config = '{}' where workflow_id = $1 and name = 'staging' and version = 1`, [workflowId])))
      .rejects.toThrow(/immutable/);
  });

  it('stars and unstars workflows; the list shows favourites, last use and run counts', async () => {
    const fav = url(`/workflows/${workflowId}/favorite`);
    expectProblem(await t.app.inject({ method: 'PUT', url: fav, headers: viewer.headers }), 403, 'forbidden');
    expect((await t.app.inject({ method: 'PUT', url: fav, headers: owner.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'PUT', url: fav, headers: owner.headers })).statusCode).toBe(204);
    const starred = (await call('GET', '/workflows?favorite=true', undefined, viewer)).json().items;
    expect(starred.map((w: { id: string }) => w.id)).toEqual([workflowId]);
    expect(starred[0]).toMatchObject({ isFavorite: true, lastUsed: null, executionCount: 0 });
    expect((await t.app.inject({ method: 'DELETE', url: fav, headers: owner.headers })).statusCode).toBe(204);
    expect((await call('GET', '/workflows?favorite=true')).json().items).toEqual([]);
    expectProblem(await t.app.inject({ method: 'PUT', url: url(`/workflows/${crypto.randomUUID()}/favorite`), headers: owner.headers }), 404, 'not_found', '/params/workflowId');
  });
});
