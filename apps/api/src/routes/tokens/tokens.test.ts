import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, signUp, withAdmin, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('API tokens', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await createTestApp('tokens');
    user = await signUp(t.app, 'tokens');
  });
  afterAll(() => t.close());

  it('creates a wbt_ token shown once, stores only its hash, and authenticates with it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: user.headers, payload: { name: 'CI', expiresInDays: 30 } });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'CI', tokenPrefix: created.token.slice(0, 10), lastUsedAt: null, expiresAt: expect.any(String) });
    expect(created.token).toMatch(/^wbt_[A-Za-z0-9_-]{43}$/);

    await withAdmin(t.tdb, async (c) => {
      const rows = await c.query(`select encode(token_hash, 'hex') as h from app.api_tokens where id = $1`, [created.id]);
      expect(rows.rows[0].h).toBe(createHash('sha256').update(created.token).digest('hex'));
    });

    const me = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${created.token}` } });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: user.userId }, authMethod: 'api_token' });

    const list = await t.app.inject({ method: 'GET', url: '/v1/auth/tokens', headers: user.headers });
    expect(list.statusCode).toBe(200);
    const listed = list.json().items.find((i: { id: string }) => i.id === created.id);
    expect(listed).toMatchObject({ name: 'CI', lastUsedAt: expect.any(String) });
    expect(list.body).not.toContain(created.token);
  });

  it('lists tokens with keyset pagination', async () => {
    const other = await signUp(t.app, 'paging');
    for (const name of ['a', 'b', 'c']) {
      await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: other.headers, payload: { name } });
    }
    const first = await t.app.inject({ method: 'GET', url: '/v1/auth/tokens?limit=2', headers: other.headers });
    expect(first.json().items.map((i: { name: string }) => i.name)).toEqual(['c', 'b']);
    const next = await t.app.inject({ method: 'GET', url: `/v1/auth/tokens?limit=2&cursor=${first.json().nextCursor}`, headers: other.headers });
    expect(next.json()).toEqual({ items: [expect.objectContaining({ name: 'a' })], nextCursor: null });
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/tokens?cursor=bm9wZQ', headers: other.headers }), 400, 'validation_failed', '/query/cursor');
  });

  it('revokes a token: it stops working; someone else\'s token cannot be revoked', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: user.headers, payload: { name: 'temp' } })).json();
    const stranger = await signUp(t.app, 'stranger');
    expectProblem(await t.app.inject({ method: 'DELETE', url: `/v1/auth/tokens/${created.id}`, headers: stranger.headers }), 404, 'not_found', '/params/tokenId');
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/auth/tokens/${created.id}`, headers: user.headers });
    expect(del.statusCode).toBe(204);
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${created.token}` } }), 401, 'unauthorized', '/headers/authorization');
  });

  it('validates the body', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: user.headers, payload: { name: '' } }), 400, 'validation_failed', '/name');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: user.headers, payload: { name: 'x', expiresInDays: 0 } }), 400, 'validation_failed', '/expiresInDays');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/auth/tokens', headers: user.headers, payload: { name: 'x', scopes: [] } }), 400, 'validation_failed', '/scopes');
  });
});
