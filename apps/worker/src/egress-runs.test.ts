import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

function fetchOnce(url: string): WorkflowDefinition {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'fetch', kind: 'http.request', label: 'Fetch', config: { url, method: 'GET', responseType: 'text' }, position: at(1),
        retry: { maximumAttempts: 3, initialIntervalMs: 50, backoffCoefficient: 1 } },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { body: '{{ steps.fetch.output.body }}' } }, position: at(2) },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'fetch' }, { id: 'e2', source: 'fetch', target: 'done' }],
  };
}

describe('a worker that blocks private networks', () => {
  let h: Harness;
  let server: TestServer;

  beforeAll(async () => {
    h = await startHarness('egress', { egress: { blockPrivateNetworks: true, allowHosts: ['allowed.localhost'] } });
    await h.startWorkers();
    server = await startTestServer((_req, res) => { res.end('internal data'); });
  });
  afterAll(async () => { await server?.close(); await h?.close(); });

  it('fails an http.request to an internal address at once, naming it, without retries or a request', async () => {
    const wf = await h.createWorkflow('reach-internal', fetchOnce(`${server.url}/admin`));
    await h.deploy(wf);
    const { runId } = await h.start(wf, {});
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('failed');
    const fetch = (await h.steps(runId)).find((s) => s.node_id === 'fetch')!;
    expect(fetch).toMatchObject({ status: 'failed', retry_count: 0 });
    expect(fetch.error_message).toMatch(/127\.0\.0\.1.*blocked.*loopback/);
    expect(JSON.stringify(run)).toMatch(/blocked/);
    expect(server.requests).toHaveLength(0);
  });
});
