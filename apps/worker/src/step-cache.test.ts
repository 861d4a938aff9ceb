import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

/** trigger → lookup (cached HTTP GET of /items/<id>) → end { body } */
function cachedLookup(url: string, cache: NonNullable<WorkflowDefinition['nodes'][number]['cache']>): WorkflowDefinition {
  return {
    schemaVersion: 1,
    inputSchema: { type: 'object', properties: { id: { type: 'integer' }, tag: { type: 'string' } }, required: ['id'], additionalProperties: false },
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'lookup', kind: 'http.request', label: 'Lookup', config: { url: `${url}/items/{{ input.id }}`, method: 'GET' }, position: at(1), cache },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { body: '{{ steps.lookup.output.body }}' } }, position: at(2) },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'lookup' }, { id: 'e2', source: 'lookup', target: 'done' }],
  };
}

describe('step cache', () => {
  let h: Harness;
  let server: TestServer;
  let calls = 0;

  beforeAll(async () => {
    h = await startHarness('step-cache');
    await h.startWorkers();
    server = await startTestServer((req, res) => {
      calls += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, call: calls }));
    });
  }, 120_000);
  afterAll(async () => { await server?.close(); await h?.close(); });

  const runOnce = async (wf: string, input: unknown) => {
    const { runId } = await h.start(wf, input);
    const run = await h.waitForRun(runId);
    expect(run.status, run.error_message ?? '').toBe('completed');
    const step = (await h.steps(runId)).find((s) => s.node_id === 'lookup')!;
    return { run, step };
  };

  it('a hit skips the activity, reuses the stored output and records the step as cached; other configs miss', async () => {
    const wf = await h.createWorkflow('cached-lookup', cachedLookup(server.url, {}));
    await h.deploy(wf);
    const before = calls;
    const first = await runOnce(wf, { id: 1 });
    expect(first.step.status).toBe('succeeded');
    expect(calls).toBe(before + 1);

    const second = await runOnce(wf, { id: 1 });
    expect(calls, 'no HTTP call on a hit').toBe(before + 1);
    expect(second.step.status).toBe('cached');
    expect(second.step.output_data).toEqual(first.step.output_data);
    expect(second.run.output).toEqual(first.run.output);
    expect(second.step.events.map((e) => e.type)).toContain('cache_hit');

    // The default key is the resolved config: another id is another entry.
    const other = await runOnce(wf, { id: 2 });
    expect(other.step.status).toBe('succeeded');
    expect(calls).toBe(before + 2);

    const rows = await sql<{ node_id: string; cache_key: string; expires_at: Date | null }>`
      select node_id, cache_key, expires_at from public.user_workflow_cache_state where workflow_id = ${wf} order by created_at`.execute(h.db);
    expect(rows.rows.map((r) => [r.node_id, r.cache_key.slice(0, 4), r.expires_at])).toEqual([['lookup', 'cfg:', null], ['lookup', 'cfg:', null]]);
  }, 120_000);

  it('an explicit key template decides what is equivalent, and entries expire after ttlSeconds', async () => {
    const wf = await h.createWorkflow('cached-by-tag', cachedLookup(server.url, { key: '{{ input.tag }}', ttlSeconds: 2 }));
    await h.deploy(wf);
    const before = calls;
    expect((await runOnce(wf, { id: 1, tag: 'a' })).step.status).toBe('succeeded');
    // Same tag, different id: the key says they are the same call.
    const hit = await runOnce(wf, { id: 2, tag: 'a' });
    expect(hit.step.status).toBe('cached');
    expect((hit.run.output as { body: { path: string } }).body.path).toBe('/items/1');
    expect(calls).toBe(before + 1);

    const stored = await sql<{ cache_key: string; ttl: number }>`
      select cache_key, extract(epoch from expires_at - created_at)::float as ttl from public.user_workflow_cache_state where workflow_id = ${wf}`.execute(h.db);
    expect(stored.rows).toEqual([{ cache_key: 'key:a', ttl: expect.closeTo(2, 0) }]);

    await new Promise((r) => setTimeout(r, 2_200));
    const expired = await runOnce(wf, { id: 3, tag: 'a' });
    expect(expired.step.status).toBe('succeeded');
    expect(calls).toBe(before + 2);
    expect((expired.run.output as { body: { path: string } }).body.path).toBe('/items/3');
  }, 120_000);
  it('caches only the nodes that ask for it, whatever their ids (toString, constructor are ids like any other)', async () => {
    // A cached node makes the compiled spec carry a cache map; uncached nodes must not find Object.prototype's members in it.
    const definition = cachedLookup(server.url, {});
    definition.nodes.splice(2, 0,
      { id: 'toString', kind: 'http.request', label: 'Uncached', config: { url: `${server.url}/plain/{{ input.id }}`, method: 'GET' }, position: at(2) },
      { id: 'constructor', kind: 'http.request', label: 'Uncached too', config: { url: `${server.url}/plain2/{{ input.id }}`, method: 'GET' }, position: at(3) });
    definition.edges = [
      { id: 'e1', source: 'start', target: 'lookup' }, { id: 'e2', source: 'lookup', target: 'toString' },
      { id: 'e3', source: 'toString', target: 'constructor' }, { id: 'e4', source: 'constructor', target: 'done' },
    ];
    const wf = await h.createWorkflow('cached-and-plain', definition);
    await h.deploy(wf);
    const before = calls;
    await runOnce(wf, { id: 7 });
    const { runId } = await h.start(wf, { id: 7 });
    expect((await h.waitForRun(runId)).status).toBe('completed');
    // lookup once (then cached); toString and constructor on every run.
    expect(calls).toBe(before + 1 + 2 * 2);
    const steps = await h.steps(runId);
    expect(steps.map((step) => [step.node_id, step.status]).filter(([id]) => id !== 'start' && id !== 'done'))
      .toEqual([['lookup', 'cached'], ['toString', 'succeeded'], ['constructor', 'succeeded']]);
    const rows = await sql<{ node_id: string }>`select node_id from public.user_workflow_cache_state where workflow_id = ${wf}`.execute(h.db);
    expect(rows.rows.map((r) => r.node_id)).toEqual(['lookup']);
  }, 120_000);
});
