import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearDefinition } from '@workflow-builder/definition';
import { createProject, createTestApp, createWorkflow, expectProblem, signUp, type ProjectDto, type TestApp, type TestUser } from '../test/helpers.ts';
import { findBadText, findNonFinite, jsonDepthExceeds } from './input-guards.ts';

describe('input guards', () => {
  it('measures JSON depth outside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[["}', 1)).toBe(false);
  });

  it('finds NULs and unpaired surrogates in values and keys', () => {
    expect(findBadText({ a: ['ok', 'b\u0000'] })).toBe('/a/1');
    expect(findBadText({ 'x/y': { 'k\u0000': 1 } })).toBe('/x~1y/k\u0000');
    expect(findBadText({ a: '\ud800' })).toBe('/a');
    expect(findBadText({ a: '😀 fine' })).toBeNull();
  });

  it('finds numbers that overflowed to Infinity', () => {
    expect(findNonFinite(JSON.parse('{"a":[1,{"b":-1e400}]}'))).toBe('/a/1/b');
    expect(findNonFinite(JSON.parse('1e999'))).toBe('/');
    expect(findNonFinite({ a: 1e308, b: -0, c: 'Infinity' })).toBeNull();
  });

  describe('over HTTP', () => {
    let t: TestApp;
    let user: TestUser;
    let project: ProjectDto;
    beforeAll(async () => {
      t = await createTestApp('guards');
      user = await signUp(t.app, 'guard');
      project = await createProject(t.app, user);
    });
    afterAll(() => t.close());

    const post = (payload: string) => t.app.inject({
      method: 'POST', url: `/v1/orgs/${user.orgId}/projects`, headers: { ...user.headers, 'content-type': 'application/json' }, payload,
    });

    it('rejects bodies that are not UTF-8, and overflowing numbers', async () => {
      const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('"}')]);
      const res = await t.app.inject({ method: 'POST', url: `/v1/orgs/${user.orgId}/projects`, headers: { ...user.headers, 'content-type': 'application/json' }, payload: bytes });
      expect(expectProblem(res, 400, 'validation_failed', '/')[0]!.code).toBe('invalid_utf8');
      expectProblem(await post('{"name":"n","settings":{"x":1e400}}'), 400, 'validation_failed', '/settings/x');
      // A BOM-less, valid multi-byte body is fine.
      expect((await post(JSON.stringify({ name: `Žluťoučký ${Date.now()}` }))).statusCode).toBe(201);
    });

    it('answers problem documents for URLs the router refuses', async () => {
      expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${user.orgId}/projects/%E0%A4%A` , headers: user.headers }), 400, 'validation_failed', '/');
      const long = await t.app.inject({ method: 'GET', url: `/v1/orgs/${user.orgId}/projects/${'a'.repeat(300)}`, headers: user.headers });
      expectProblem(long, 414, 'validation_failed', '/');
    });

    it('rejects deeply nested JSON before parsing it', async () => {
      const deep = `{"name":"x","settings":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
      expectProblem(await post(deep), 400, 'validation_failed', '/');
    });

    it('rejects NULs and lone surrogates with the field that holds them', async () => {
      expectProblem(await post(JSON.stringify({ name: 'a\u0000b' })), 400, 'validation_failed', '/name');
      expectProblem(await post('{"name":"x","settings":{"k":"\\ud800"}}'), 400, 'validation_failed', '/settings/k');
      expectProblem(await post(JSON.stringify({ name: 'x', settings: { 'bad\u0000key': 1 } })), 400, 'validation_failed', '/settings/bad\u0000key');
      const wf = await createWorkflow(t.app, user, user.orgId, project.id);
      const nodes = linearDefinition.nodes.map((n, i) => (i === 1 ? { ...n, config: { ...n.config, url: 'http://x/\u0000' } } : n));
      const res = await t.app.inject({
        method: 'PATCH', url: `/v1/orgs/${user.orgId}/workflows/${wf.id}`, headers: user.headers,
        payload: { definitionVersion: 1, definition: { ...linearDefinition, nodes } },
      });
      expectProblem(res, 400, 'validation_failed', '/definition/nodes/1/config/url');
      const q = await t.app.inject({ method: 'GET', url: `/v1/orgs/${user.orgId}/projects?search=a%00b`, headers: user.headers });
      expectProblem(q, 400, 'validation_failed', '/query/search');
    });

    it('bounds integers and query parameters', async () => {
      const wf = await createWorkflow(t.app, user, user.orgId, project.id);
      expectProblem(await t.app.inject({
        method: 'PATCH', url: `/v1/orgs/${user.orgId}/workflows/${wf.id}`, headers: user.headers, payload: { definitionVersion: 1e20 },
      }), 400, 'validation_failed', '/definitionVersion');
      expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${user.orgId}/projects?limit=1&limit=2`, headers: user.headers }), 400, 'validation_failed', '/query/limit');
      expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${user.orgId}/projects?bogus=1`, headers: user.headers }), 400, 'validation_failed', '/query/bogus');
      expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${user.orgId}/workflows/${wf.id}/versions/abc`, headers: user.headers }), 400, 'validation_failed', '/params/version');
    });
  });
});
