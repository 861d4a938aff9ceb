import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, expectProblem, signUp, uniq, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('components', () => {
  let t: TestApp;
  let owner: TestUser;
  let dev: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp('components');
    owner = await signUp(t.app, 'owner');
    dev = await signUp(t.app, 'dev');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, dev, 'developer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
  });
  afterAll(() => t.close());

  const url = (id = '') => `/v1/orgs/${owner.orgId}/components${id ? `/${id}` : ''}`;
  const body = (over: Record<string, unknown> = {}) => ({
    name: `acme/enrich-${uniq()}`, type: 'activity', displayName: 'Enrich', tags: ['crm', 'enrichment'], capabilities: ['io'],
    configSchema: { type: 'object', properties: { apiUrl: { type: 'string' } } }, ...over,
  });

  it('lists the built-in node kinds with filters by type, tag and search', async () => {
    const all = await t.app.inject({ method: 'GET', url: `${url()}?builtIn=true&limit=100`, headers: viewer.headers });
    expect(all.statusCode, all.body).toBe(200);
    const names = all.json().items.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['http.request', 'trigger.manual', 'ai.agent']));
    expect(all.json().items.every((c: { builtIn: boolean; visibility: string }) => c.builtIn && c.visibility === 'public')).toBe(true);
    const triggers = await t.app.inject({ method: 'GET', url: `${url()}?type=trigger&limit=100`, headers: viewer.headers });
    expect(triggers.json().items.length).toBeGreaterThan(0);
    expect(triggers.json().items.every((c: { type: string }) => c.type === 'trigger')).toBe(true);
    const search = await t.app.inject({ method: 'GET', url: `${url()}?search=HTTP`, headers: viewer.headers });
    expect(search.json().items.map((c: { name: string }) => c.name)).toContain('http.request');
    const tagged = await t.app.inject({ method: 'GET', url: `${url()}?tag=trigger&limit=100`, headers: viewer.headers });
    expect(tagged.json().items.every((c: { tags: string[] }) => c.tags.includes('trigger'))).toBe(true);
  });

  it('creates, updates, versions and deletes a component', async () => {
    const created = await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body() });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ orgId: owner.orgId, builtIn: false, type: 'activity', version: '1.0.0', visibility: 'organization', tags: ['crm', 'enrichment'], createdBy: dev.userId });

    const updated = await t.app.inject({ method: 'PATCH', url: url(c.id), headers: owner.headers, payload: { deprecated: true, description: 'Old' } });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ deprecated: true, description: 'Old' });

    const v2 = await t.app.inject({ method: 'POST', url: `${url(c.id)}/versions`, headers: dev.headers, payload: { version: '2.0.0', description: 'New' } });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ name: c.name, version: '2.0.0', description: 'New', deprecated: false, tags: ['crm', 'enrichment'] });
    const versions = await t.app.inject({ method: 'GET', url: `${url()}?name=${encodeURIComponent(c.name)}`, headers: viewer.headers });
    expect(versions.json().items.map((x: { version: string }) => x.version)).toEqual(['2.0.0', '1.0.0']);
    expectProblem(await t.app.inject({ method: 'POST', url: `${url(c.id)}/versions`, headers: dev.headers, payload: { version: '2.0.0' } }), 409, 'conflict', '/version');

    expect((await t.app.inject({ method: 'DELETE', url: url(c.id), headers: dev.headers })).statusCode).toBe(204);
    expectProblem(await t.app.inject({ method: 'GET', url: url(c.id), headers: dev.headers }), 404, 'not_found', '/params/componentId');
  });

  it('keeps built-ins read-only but lets them be copied as a new version', async () => {
    const list = await t.app.inject({ method: 'GET', url: `${url()}?name=http.request`, headers: dev.headers });
    const builtin = list.json().items[0];
    expectProblem(await t.app.inject({ method: 'PATCH', url: url(builtin.id), headers: owner.headers, payload: { deprecated: true } }), 403, 'forbidden', '/params/componentId');
    expectProblem(await t.app.inject({ method: 'DELETE', url: url(builtin.id), headers: owner.headers }), 403, 'forbidden', '/params/componentId');
    const fork = await t.app.inject({ method: 'POST', url: `${url(builtin.id)}/versions`, headers: dev.headers, payload: { version: '9.0.0' } });
    expect(fork.statusCode, fork.body).toBe(201);
    expect(fork.json()).toMatchObject({ name: 'http.request', orgId: owner.orgId, builtIn: false, visibility: 'organization' });
  });

  it('private components are visible to their creator only', async () => {
    const created = (await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ visibility: 'private' }) })).json();
    expect((await t.app.inject({ method: 'GET', url: url(created.id), headers: dev.headers })).statusCode).toBe(200);
    expectProblem(await t.app.inject({ method: 'GET', url: url(created.id), headers: owner.headers }), 404, 'not_found');
    const other = await signUp(t.app, 'other');
    const pub = (await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ visibility: 'public' }) })).json();
    const seen = await t.app.inject({ method: 'GET', url: `/v1/orgs/${other.orgId}/components/${pub.id}`, headers: other.headers });
    expect(seen.statusCode).toBe(200);
    expectProblem(await t.app.inject({ method: 'PATCH', url: `/v1/orgs/${other.orgId}/components/${pub.id}`, headers: other.headers, payload: { deprecated: true } }), 403, 'forbidden');
  });

  it('validates with field paths: type, JSON schemas, tags, prompt references', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ type: 'gadget' }) }), 400, 'validation_failed', '/type');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ configSchema: { type: 'nope' } }) }), 400, 'validation_failed', '/configSchema/type');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ tags: Array.from({ length: 31 }, (_, i) => `t${i}`) }) }), 400, 'validation_failed', '/tags');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ tags: ['ok', 'ok'] }) }), 400, 'validation_failed', '/tags');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ agentPromptId: crypto.randomUUID() }) }), 400, 'validation_failed', '/agentPromptId');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: dev.headers, payload: body({ version: 'latest' }) }), 400, 'validation_failed', '/version');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: viewer.headers, payload: body() }), 403, 'forbidden');
  });
});
