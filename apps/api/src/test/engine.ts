/**
 * Test support for the engine routes: small workflow definitions that run without the outside
 * world, an API app whose runs really execute (the worker harness of @workflow-builder/worker:
 * an in-process WorkerManager on the same test database and the Temporal dev server), and
 * helpers that deploy, start and follow runs through the API.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startHarness, type Harness } from '@workflow-builder/worker/testing';
import { buildApp } from '../app.ts';
import { testEnv, type TestApp, type TestUser } from './helpers.ts';

const at = (x: number) => ({ x, y: 0 });

/** trigger (input { x: integer }) → transform → end: output { doubled: 2x }. */
export const doublerDefinition: WorkflowDefinition = {
  schemaVersion: 1,
  inputSchema: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'], additionalProperties: false },
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'double', kind: 'transform', label: 'Double', config: { mapping: { doubled: '{{ input.x * 2 }}' } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { doubled: '{{ steps.double.output.doubled }}' } }, position: at(2) },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'double' },
    { id: 'e2', source: 'double', target: 'done' },
  ],
};

export { approvalDefinition } from '@workflow-builder/definition';

/** trigger.webhook → end: output echoes what the webhook request carried. */
export function webhookDefinition(method: 'GET' | 'POST' = 'POST'): WorkflowDefinition {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'hook', kind: 'trigger.webhook', label: 'Webhook', config: { method }, position: at(0) },
      {
        id: 'done', kind: 'output.end', label: 'Done', position: at(1),
        config: { output: { hello: '{{ input.body.hello }}', method: '{{ input.method }}', tag: '{{ input.query.tag }}', agent: '{{ $lookup(input.headers, "user-agent") }}' } },
      },
    ],
    edges: [{ id: 'e1', source: 'hook', target: 'done' }],
  };
}

export interface EngineTestApp extends TestApp {
  h: Harness;
}

/**
 * An API app on the worker harness' database, with the worker manager running: deploys are
 * picked up and runs execute. One per test file (the harness owns a database and workers).
 */
export async function createEngineTestApp(label: string, overrides: Record<string, string> = {}): Promise<EngineTestApp> {
  const h = await startHarness(label);
  await h.startWorkers();
  // The API starts batch orchestrators on the harness' own platform task queue.
  const app = await buildApp(testEnv(h.tdb, { WB_PLATFORM_TASK_QUEUE: h.platformTaskQueue, ...overrides }), { logger: false });
  return {
    app, tdb: h.tdb, h,
    close: async () => {
      await app.close();
      await h.close();
    },
  };
}

/** Deploys through the API; fails the test unless it answers 200. */
export async function deployViaApi(app: FastifyInstance, user: TestUser, orgId: string, workflowId: string, wait = 0): Promise<{ version: number; pickedUp: boolean; workflowType: string }> {
  const res = await app.inject({ method: 'POST', url: `/v1/orgs/${orgId}/workflows/${workflowId}/deploy?wait=${wait}`, headers: user.headers });
  if (res.statusCode !== 200) throw new Error(`deploy failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Starts a run through the API; fails the test unless it answers 201. */
export async function startViaApi(app: FastifyInstance, user: TestUser, orgId: string, workflowId: string, input: unknown, extra: Record<string, unknown> = {}): Promise<{ runId: string; temporalWorkflowId: string }> {
  const res = await app.inject({ method: 'POST', url: `/v1/orgs/${orgId}/workflows/${workflowId}/runs`, headers: user.headers, payload: { input, ...extra } });
  if (res.statusCode !== 201) throw new Error(`start run failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export interface RunDetailDto {
  run: Record<string, unknown> & { status: string; output: unknown };
  steps: Array<Record<string, unknown> & { nodeId: string; status: string }>;
}

/** Polls `GET /runs/:runId` until `until(detail)` holds (default: the run is closed). */
export async function pollRun(
  app: FastifyInstance, user: TestUser, orgId: string, runId: string,
  until: (d: RunDetailDto) => boolean = (d) => !['pending', 'running'].includes(d.run.status), timeoutMs = 45_000,
): Promise<RunDetailDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/v1/orgs/${orgId}/runs/${runId}`, headers: user.headers });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as RunDetailDto;
    if (until(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not get there in ${timeoutMs} ms: ${JSON.stringify(detail.run.status)} ${JSON.stringify(detail.steps.map((s) => [s.nodeId, s.status]))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
