import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretBoxFromEnv } from '@workflow-builder/db';
import { addMember, createProject, createTestApp, expectProblem, signUp, withAdmin, type ProjectDto, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('project secrets', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let project: ProjectDto;
  beforeAll(async () => {
    t = await createTestApp('secrets');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
    project = await createProject(t.app, owner);
  });
  afterAll(() => t.close());

  const url = (name = '') => `/v1/orgs/${owner.orgId}/projects/${project.id}/secrets${name ? `/${name}` : ''}`;

  it('stores a value encrypted (AES-256-GCM, bound to the project) and never returns it', async () => {
    const created = await t.app.inject({ method: 'PUT', url: url('ai_api_key'), headers: owner.headers, payload: { value: 'sk-secret-1' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ name: 'ai_api_key', createdBy: owner.userId, createdAt: expect.any(String), updatedAt: expect.any(String) });
    const replaced = await t.app.inject({ method: 'PUT', url: url('ai_api_key'), headers: owner.headers, payload: { value: 'sk-secret-2' } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.body).not.toContain('sk-secret');

    const ciphertext = await withAdmin(t.tdb, async (c) =>
      (await c.query('select ciphertext from public.project_secrets where project_id = $1 and name = $2', [project.id, 'ai_api_key'])).rows[0].ciphertext as string);
    expect(ciphertext).not.toContain('sk-secret');
    const { box } = secretBoxFromEnv({});
    expect(box.open(ciphertext, project.id)).toBe('sk-secret-2');
    expect(() => box.open(ciphertext, crypto.randomUUID())).toThrow();

    const list = await t.app.inject({ method: 'GET', url: url(), headers: owner.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([expect.objectContaining({ name: 'ai_api_key' })]);
    expect(list.body).not.toMatch(/sk-secret|ciphertext|v1:/);
  });

  it('hides even the names from viewers', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: url(), headers: viewer.headers }), 403, 'forbidden', '/params/orgId');
    expectProblem(await t.app.inject({ method: 'PUT', url: url('X'), headers: viewer.headers, payload: { value: 'v' } }), 403, 'forbidden');
  });

  it('validates names and values', async () => {
    expectProblem(await t.app.inject({ method: 'PUT', url: url('bad-name'), headers: owner.headers, payload: { value: 'v' } }), 400, 'validation_failed', '/params/name');
    expectProblem(await t.app.inject({ method: 'PUT', url: url('OK'), headers: owner.headers, payload: { value: '' } }), 400, 'validation_failed', '/value');
    expectProblem(await t.app.inject({ method: 'PUT', url: url('OK'), headers: owner.headers, payload: {} }), 400, 'validation_failed', '/value');
    expectProblem(await t.app.inject({ method: 'PUT', url: `/v1/orgs/${owner.orgId}/projects/${crypto.randomUUID()}/secrets/OK`, headers: owner.headers, payload: { value: 'v' } }), 404, 'not_found', '/params/projectId');
  });

  it('deletes a secret', async () => {
    await t.app.inject({ method: 'PUT', url: url('TEMP'), headers: owner.headers, payload: { value: 'v' } });
    expect((await t.app.inject({ method: 'DELETE', url: url('TEMP'), headers: owner.headers })).statusCode).toBe(204);
    expectProblem(await t.app.inject({ method: 'DELETE', url: url('TEMP'), headers: owner.headers }), 404, 'not_found', '/params/name');
  });
});
