import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, expectProblem, signUp, uniq, type TestApp, type TestUser } from '../../test/helpers.ts';

describe('agent prompts', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp('prompts');
    owner = await signUp(t.app, 'owner');
    viewer = await signUp(t.app, 'viewer');
    await addMember(t.app, owner, owner.orgId, viewer, 'viewer');
  });
  afterAll(() => t.close());

  const url = (id = '') => `/v1/orgs/${owner.orgId}/agent-prompts${id ? `/${id}` : ''}`;

  it('creates a prompt, deriving its variables from the placeholders', async () => {
    const res = await t.app.inject({
      method: 'POST', url: url(), headers: owner.headers,
      payload: { name: `summarise-${uniq()}`, content: 'Summarise {{ text }} for {{audience}}.', tags: ['nlp'], recommendedModels: ['gpt-4o-mini'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      version: '1.0.0', content: 'Summarise {{ text }} for {{audience}}.', tags: ['nlp'], recommendedModels: ['gpt-4o-mini'],
      variables: [{ name: 'text', required: true }, { name: 'audience', required: true }], visibility: 'organization',
    });
  });

  it('creates new versions and keeps the old ones unchanged', async () => {
    const name = `classify-${uniq()}`;
    const v1 = (await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name, content: 'Classify {{x}}', variables: [{ name: 'x', description: 'input' }] } })).json();
    const v2 = await t.app.inject({ method: 'POST', url: `${url(v1.id)}/versions`, headers: owner.headers, payload: { version: '1.1.0', content: 'Classify {{x}} into {{labels}}' } });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ name, version: '1.1.0', variables: [{ name: 'x' }, { name: 'labels' }] });
    expect((await t.app.inject({ method: 'GET', url: url(v1.id), headers: viewer.headers })).json()).toMatchObject({ version: '1.0.0', content: 'Classify {{x}}' });
    const list = await t.app.inject({ method: 'GET', url: `${url()}?name=${name}`, headers: viewer.headers });
    expect(list.json().items.map((p: { version: string }) => p.version)).toEqual(['1.1.0', '1.0.0']);
    // A version without new content keeps the variables.
    const v3 = await t.app.inject({ method: 'POST', url: `${url(v1.id)}/versions`, headers: owner.headers, payload: { version: '1.0.1', description: 'same text' } });
    expect(v3.json()).toMatchObject({ content: 'Classify {{x}}', variables: [{ name: 'x', description: 'input' }] });
    expectProblem(await t.app.inject({ method: 'POST', url: `${url(v1.id)}/versions`, headers: owner.headers, payload: { version: '1.1.0' } }), 409, 'conflict', '/version');
  });

  it('updates metadata only: content changes need a new version', async () => {
    const p = (await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: `m-${uniq()}`, content: 'Hi' } })).json();
    const res = await t.app.inject({ method: 'PATCH', url: url(p.id), headers: owner.headers, payload: { deprecated: true, visibility: 'public' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ deprecated: true, visibility: 'public', content: 'Hi' });
    expectProblem(await t.app.inject({ method: 'PATCH', url: url(p.id), headers: owner.headers, payload: { content: 'changed' } }), 400, 'validation_failed', '/content');
    expectProblem(await t.app.inject({ method: 'PATCH', url: url(p.id), headers: viewer.headers, payload: { deprecated: false } }), 403, 'forbidden');
    expect((await t.app.inject({ method: 'DELETE', url: url(p.id), headers: owner.headers })).statusCode).toBe(204);
  });

  it('validates variables and content with field paths', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'p', content: 'Use {{y}}', variables: [{ name: 'x' }] } }), 400, 'validation_failed', '/variables');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'p', content: 'Use {{x}}', variables: [{ name: 'x' }, { name: 'x' }] } }), 400, 'validation_failed', '/variables/1/name');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'p', content: 'x', variables: [{ name: '1bad' }] } }), 400, 'validation_failed', '/variables/0/name');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'p', content: '' } }), 400, 'validation_failed', '/content');
    expectProblem(await t.app.inject({ method: 'POST', url: url(), headers: owner.headers, payload: { name: 'p', content: 'x'.repeat(100_001) } }), 400, 'validation_failed', '/content');
  });
});
