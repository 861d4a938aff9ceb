import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, sessionCookie, signUp, uniq, withAdmin, type TestApp } from '../../test/helpers.ts';

describe('auth routes', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp('auth'); });
  afterAll(() => t.close());

  const signUpBody = (over: Record<string, unknown> = {}) => ({
    email: `new-${uniq()}@example.test`, password: 'a long enough password', displayName: 'Ada', organisationName: 'Analytical Engines', ...over,
  });

  it('signs up: creates the user, an organisation they administer, and a session cookie', async () => {
    const body = signUpBody({ email: `Mixed-${uniq()}@Example.TEST` });
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-up', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    const json = res.json();
    expect(json).toMatchObject({
      user: { email: body.email.toLowerCase(), displayName: 'Ada' },
      organization: { name: 'Analytical Engines', slug: expect.stringMatching(/^analytical-engines/), role: 'admin' },
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^wb_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);

    const me = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `wb_session=${sessionCookie(res)}` } });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: json.user.id, email: body.email.toLowerCase() },
      organizations: [{ id: json.organization.id, role: 'admin' }],
      authMethod: 'session',
    });
  });

  it('stores the password as a scrypt verifier and the session as a sha256, never in clear', async () => {
    const user = await signUp(t.app, 'hashes');
    await withAdmin(t.tdb, async (c) => {
      const cred = await c.query(
        `select c.salt, c.scrypt_n, encode(c.verifier, 'hex') as verifier from app.user_credentials c
         join public.users u on u.auth_user_id = c.auth_user_id where u.id = $1`, [user.userId]);
      expect(cred.rows[0]).toMatchObject({ salt: expect.stringMatching(/^[0-9a-f]{32}$/), scrypt_n: 16384 });
      expect(cred.rows[0].verifier).not.toContain(Buffer.from(user.password).toString('hex'));
      const sessions = await c.query(`select encode(token_hash, 'hex') as h from app.sessions s join public.users u on u.auth_user_id = s.auth_user_id where u.id = $1`, [user.userId]);
      expect(sessions.rows.map((r) => r.h)).toEqual([createHash('sha256').update(user.sessionToken).digest('hex')]);
    });
  });

  it('sets Secure on the cookie behind https (TRUST_PROXY)', async () => {
    const proxied = await createTestApp('auth_https', { TRUST_PROXY: 'true' });
    try {
      const res = await proxied.app.inject({ method: 'POST', url: '/v1/auth/sign-up', headers: { 'x-forwarded-proto': 'https' }, payload: signUpBody() });
      expect(res.statusCode, res.body).toBe(201);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it.each([
    ['short password', { password: 'short' }, '/password', 'too_short'],
    ['bad email', { email: 'not-an-email' }, '/email', 'invalid_format'],
    ['missing display name', { displayName: undefined }, '/displayName', 'required'],
    ['blank organisation name', { organisationName: '   ' }, '/organisationName', 'invalid_format'],
    ['unknown field', { isAdmin: true }, '/isAdmin', 'unknown_field'],
    ['too long display name', { displayName: 'x'.repeat(101) }, '/displayName', 'too_long'],
  ])('rejects sign-up with %s (field path)', async (_name, over, field, code) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-up', payload: signUpBody(over) });
    const errors = expectProblem(res, 400, 'validation_failed', field);
    expect(errors.find((e) => e.field === field)?.code).toBe(code);
  });

  it('rejects a second account for the same email (any case) with 409 on /email, creating nothing', async () => {
    const user = await signUp(t.app, 'dup');
    const count = () => withAdmin(t.tdb, async (c) => Number((await c.query('select count(*) from public.organizations')).rows[0].count));
    const before = await count();
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-up', payload: signUpBody({ email: user.email.toUpperCase() }) });
    expectProblem(res, 409, 'conflict', '/email');
    expect(await count()).toBe(before);
  });

  it('signs in case-insensitively, and rejects a wrong password or unknown email alike', async () => {
    const user = await signUp(t.app, 'signin');
    const ok = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: user.email.toUpperCase(), password: user.password } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ user: { id: user.userId, email: user.email } });
    const me = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `wb_session=${sessionCookie(ok)}` } });
    expect(me.statusCode).toBe(200);

    const wrong = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: user.email, password: 'wrong password!' } });
    expectProblem(wrong, 401, 'unauthorized', '/password');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: `nobody-${uniq()}@example.test`, password: 'whatever12' } });
    expectProblem(unknown, 401, 'unauthorized', '/password');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('signs out: the session stops working and the cookie is cleared', async () => {
    const user = await signUp(t.app, 'signout');
    const out = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-out', headers: user.headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^wb_session=;/);
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: user.headers }), 401, 'unauthorized', '/cookies/wb_session');
    // Signing out without a session is fine too.
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/sign-out' })).statusCode).toBe(204);
  });

  it('signs out everywhere', async () => {
    const user = await signUp(t.app, 'everywhere');
    const second = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email: user.email, password: user.password } });
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/auth/sessions', headers: user.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `wb_session=${sessionCookie(second)}` } })).statusCode).toBe(401);
  });

  it('answers 401 without credentials, with a malformed cookie and with a malformed Authorization header', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/me' }), 401, 'unauthorized', '/headers/authorization');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: 'wb_session=forged' } }), 401, 'unauthorized');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: 'Basic abc' } }), 401, 'unauthorized', '/headers/authorization');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: 'Bearer not-a-token' } }), 401, 'unauthorized', '/headers/authorization');
  });

  it('honours a sane x-request-id and echoes it; replaces an unsafe one', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    expect(res.json().requestId).toBe('trace-abc.123');
    const unsafe = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { 'x-request-id': 'a b\u0000<script>' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes and malformed JSON with problems naming a field', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/nope' }), 404, 'not_found', '/');
    const bad = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"email": ' });
    expectProblem(bad, 400, 'validation_failed', '/');
    const proto = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}, "email": "a@b.co", "password": "x"}' });
    expectProblem(proto, 400, 'validation_failed', '/');
    const text = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expectProblem(text, 415, 'unsupported_media_type', '/headers/content-type');
    const big = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(3 * 1024 * 1024) }) });
    expectProblem(big, 413, 'payload_too_large', '/');
  });
});

describe('login rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('auth_limits', { WB_SIGN_IN_RATE_LIMIT_PER_EMAIL: '3', WB_AUTH_RATE_LIMIT_PER_IP: '6' });
  });
  afterAll(() => t.close());

  it('limits sign-in attempts per email, then per IP', async () => {
    const user = await signUp(t.app, 'limited'); // 1 attempt from this IP
    const attempt = (email: string) => t.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email, password: 'wrong password' } });
    for (let i = 0; i < 3; i++) expect((await attempt(user.email)).statusCode).toBe(401);
    const limited = await attempt(user.email);
    expectProblem(limited, 429, 'rate_limited', '/email');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another email from the same IP still gets through until the per-IP budget (6) is spent.
    expect((await attempt(`other-${uniq()}@example.test`)).statusCode).toBe(401);
    expectProblem(await attempt(`third-${uniq()}@example.test`), 429, 'rate_limited');
  });
});
