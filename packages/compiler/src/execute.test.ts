/**
 * Emit, then run: compile fixtures, write the standalone project tree, bundle it, and run it on
 * the real Temporal dev server with the runtime's real activities against a local HTTP server.
 */
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { kitchenSinkDefinition, linearDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import type { RunContextInfo, RunRecordBatch, RunStateSnapshot, StepRecord, WorkflowRunArgs } from '@workflow-builder/runtime/contract';
import { createStepActivities, progressSinks } from '@workflow-builder/runtime/activities';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startTestServer, type TestServer } from '../../runtime/src/testing/test-server.ts';
import { compileWorkflow, type CompiledWorkflow } from './compile-workflow.ts';
import { projectFiles } from './export-project.ts';
import { removeProject, RUNTIME_NODE_MODULES, testMeta, writeProject } from './test-support.ts';

try {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
} catch {
  // Already installed by another test file in this process.
}

/** manual → list → if (items?) [forEach each: price → line] else none → summary → signal approve (60 s) → approved | timed_out → end */
function branchLoopSignalDefinition(baseUrl: string): WorkflowDefinition {
  const at = { x: 0, y: 0 };
  return {
    schemaVersion: 1,
    signals: [{ name: 'approve' }],
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at },
      {
        id: 'list',
        kind: 'http.request',
        label: 'List items',
        config: { url: `${baseUrl}/items`, responseType: 'json' },
        position: at,
        retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1 },
      },
      { id: 'has_items', kind: 'branch.if', label: 'Any?', config: { condition: '{{ $count(steps.list.output.body.items) > 0 }}' }, position: at },
      { id: 'each', kind: 'flow.forEach', label: 'Each', config: { items: '{{ steps.list.output.body.items }}', concurrency: 2 }, position: at },
      { id: 'price', kind: 'http.request', label: 'Price', config: { url: `${baseUrl}/prices/{{ item.sku }}` }, position: at },
      {
        id: 'line',
        kind: 'transform',
        label: 'Line',
        config: { mapping: { sku: '{{ item.sku }}', total: '{{ steps.price.output.body.price * item.qty }}', index: '{{ index }}' } },
        position: at,
      },
      { id: 'none', kind: 'transform', label: 'None', config: { mapping: { empty: '{{ true }}' } }, position: at },
      { id: 'summary', kind: 'transform', label: 'Summary', config: { mapping: { total: '{{ $sum(steps.each.output.total) }}' } }, position: at },
      { id: 'approval', kind: 'signal.wait', label: 'Approval', config: { signalName: 'approve', timeoutSeconds: 60 }, position: at },
      { id: 'approved', kind: 'transform', label: 'Approved', config: { mapping: { decision: '{{ steps.approval.output.decision }}' } }, position: at },
      { id: 'timed_out', kind: 'transform', label: 'Timed out', config: { mapping: { decision: 'timeout' } }, position: at },
      {
        id: 'end',
        kind: 'output.end',
        label: 'End',
        config: {
          output: {
            total: '{{ steps.summary.output.total }}',
            decision: '{{ $exists(steps.approved.output) ? steps.approved.output.decision : steps.timed_out.output.decision }}',
            lines: '{{ steps.each.output }}',
          },
        },
        position: at,
      },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'list' },
      { id: 'e2', source: 'list', target: 'has_items' },
      { id: 'e3', source: 'has_items', sourceHandle: 'true', target: 'each' },
      { id: 'e4', source: 'each', sourceHandle: 'item', target: 'price' },
      { id: 'e5', source: 'price', target: 'line' },
      { id: 'e6', source: 'each', sourceHandle: 'done', target: 'summary' },
      { id: 'e7', source: 'has_items', sourceHandle: 'false', target: 'none' },
      { id: 'e8', source: 'none', target: 'summary' },
      { id: 'e9', source: 'summary', target: 'approval' },
      { id: 'e10', source: 'approval', sourceHandle: 'received', target: 'approved' },
      { id: 'e11', source: 'approval', sourceHandle: 'timeout', target: 'timed_out' },
      { id: 'e12', source: 'approved', target: 'end' },
      { id: 'e13', source: 'timed_out', target: 'end' },
    ],
  };
}

/** The child the kitchen sink starts (`notify-customer`): manual → transform → end. */
const notifyCustomerDefinition: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: { x: 0, y: 0 } },
    { id: 'compose', kind: 'transform', label: 'Compose', config: { mapping: { text: 'To {{ input.orderId }}: {{ input.message }}' } }, position: { x: 0, y: 0 } },
    { id: 'end', kind: 'output.end', label: 'End', config: { output: { sent: '{{ true }}', text: '{{ steps.compose.output.text }}' } }, position: { x: 0, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'compose' },
    { id: 'e2', source: 'compose', target: 'end' },
  ],
};

/** The latest state of every step recorded for a run, by step number. */
function recordedSteps(batches: readonly RunRecordBatch[]): StepRecord[] {
  const byNumber = new Map<number, StepRecord>();
  for (const batch of batches) for (const step of batch.steps) byNumber.set(step.stepNumber, step);
  return [...byNumber.values()].sort((a, b) => a.stepNumber - b.stepNumber);
}

describe('compiled workflows run on Temporal', () => {
  const taskQueue = `wb-exec-${randomUUID()}`;
  const batches = new Map<string, RunRecordBatch[]>();
  const progress: StepRecord[] = [];
  let server: TestServer;
  let failuresLeft = 0;
  let dir: string;
  let linear: CompiledWorkflow;
  let branchy: CompiledWorkflow;
  let kitchenSink: CompiledWorkflow;
  let notifyCustomer: CompiledWorkflow;
  let workerConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname.startsWith('/users/')) {
        if (failuresLeft > 0) {
          failuresLeft--;
          return sendJson(res, 503, { error: 'try again' });
        }
        return sendJson(res, 200, { id: Number(url.pathname.slice(7)), name: 'Ada Lovelace', email: 'ADA@EXAMPLE.COM' });
      }
      if (url.pathname === '/v1/chat/completions') {
        const request = JSON.parse(req.body) as { messages: Array<{ role: string; content: string }> };
        const prompt = request.messages.at(-1)?.content ?? '';
        return sendJson(res, 200, { choices: [{ message: { role: 'assistant', content: `summary of ${prompt.length} chars` } }], usage: { prompt_tokens: 3, completion_tokens: 4 } });
      }
      if (url.pathname.startsWith('/orders/')) {
        return sendJson(res, 200, { id: url.pathname.slice(8), received: JSON.parse(req.body) as unknown, lines: [{ sku: 'a', quantity: 2 }, { sku: 'b', quantity: 1 }] });
      }
      if (url.pathname === '/items') {
        return sendJson(res, 200, { items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }, { sku: 'c', qty: 3 }] });
      }
      if (url.pathname.startsWith('/prices/')) {
        const prices: Record<string, number> = { a: 10, b: 5, c: 1 };
        return sendJson(res, 200, { price: prices[url.pathname.slice(8)] ?? 0 });
      }
      return sendJson(res, 404, { error: 'not found' });
    });

    linear = compileWorkflow(linearDefinition, testMeta({ kebabName: 'linear', taskQueue }));
    branchy = compileWorkflow(branchLoopSignalDefinition(server.url), testMeta({ kebabName: 'branch-loop-signal', taskQueue }));
    // The worker manager's setup: no node_modules in the tree, the bundler resolves packages
    // through webpackConfigHook.
    notifyCustomer = compileWorkflow(notifyCustomerDefinition, testMeta({ kebabName: 'notify-customer', taskQueue }));
    kitchenSink = compileWorkflow(
      kitchenSinkDefinition,
      testMeta({ kebabName: 'kitchen-sink', taskQueue, childWorkflows: { 'notify-customer': { workflowType: notifyCustomer.workflowType, workflowId: 'wf-notify', version: 4 } } }),
    );
    dir = writeProject(projectFiles([linear, branchy, kitchenSink, notifyCustomer]));
    const bundle = await bundleWorkflowCode({
      workflowsPath: join(dir, 'src', 'workflows.ts'),
      logger: new DefaultLogger('WARN'),
      webpackConfigHook: (config) => {
        config.resolve = { ...config.resolve, modules: [...(config.resolve?.modules ?? ['node_modules']), RUNTIME_NODE_MODULES] };
        return config;
      },
    });

    const address = process.env['WB_TEST_TEMPORAL_ADDRESS'] as string;
    const namespace = process.env['WB_TEST_TEMPORAL_NAMESPACE'] ?? 'default';
    workerConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue,
      workflowBundle: { code: bundle.code },
      activities: createStepActivities({
        secrets: { aiEndpoint: () => ({ endpoint: `${server.url}/v1`, apiKey: 'sk-local' }) },
        recordRun: async (batch) => {
          const list = batches.get(batch.run.runId) ?? [];
          list.push(structuredClone(batch));
          batches.set(batch.run.runId, list);
        },
      }),
      sinks: progressSinks((batch) => progress.push(...batch.steps)),
      maxCachedWorkflows: 20,
    });
    running = worker.run();
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace });
  }, 180_000);

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await connection?.close();
    await workerConnection?.close();
    await server?.close();
    if (dir !== undefined) removeProject(dir);
  });

  const runInfo = (overrides: Partial<RunContextInfo> = {}): RunContextInfo => ({
    runId: randomUUID(),
    orgId: 'org-1',
    projectId: 'project-1',
    workflowId: 'wf-1',
    workstreamSlug: 'main',
    version: 1,
    recordSteps: true,
    ...overrides,
  });

  const start = (compiled: CompiledWorkflow, args: WorkflowRunArgs) =>
    client.workflow.start(compiled.workflowType, { taskQueue, workflowId: `${compiled.workflowType}-${args.run.runId}`, args: [args] });

  async function waitForStep(handle: Awaited<ReturnType<typeof start>>, nodeId: string, status: StepRecord['status']): Promise<RunStateSnapshot> {
    for (let i = 0; i < 200; i++) {
      const state = await handle.query<RunStateSnapshot>('wbState');
      if (state.steps.some((step) => step.nodeId === nodeId && step.status === status)) return state;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`step ${nodeId} never reached ${status}`);
  }

  it('runs the linear fixture with client overrides, retrying the HTTP call twice', async () => {
    failuresLeft = 2;
    const run = runInfo();
    const configOverrides = { fetch_user: { url: `${server.url}/users/{{ input.userId }}` } };
    const handle = await start(linear, { input: { userId: 7 }, run, configOverrides });
    expect(await handle.result()).toEqual({ user: { name: 'Ada Lovelace', email: 'ada@example.com', summary: 'Ada Lovelace (200)' } });

    const recorded = batches.get(run.runId) ?? [];
    expect(recorded.at(-1)).toMatchObject({ status: 'completed', output: { user: { name: 'Ada Lovelace' } }, error: null });
    expect(recorded[0]?.configSnapshot).toEqual(configOverrides);
    const steps = recordedSteps(recorded);
    expect(steps.map((s) => [s.stepNumber, s.nodeId, s.nodeKind, s.status, s.retryCount])).toEqual([
      [1, 'start', 'trigger.manual', 'succeeded', 0],
      [2, 'fetch_user', 'http.request', 'succeeded', 2],
      [3, 'shape', 'transform', 'succeeded', 0],
      [4, 'end', 'output.end', 'succeeded', 0],
    ]);
    expect(steps[0]?.output).toEqual({ userId: 7 });
    expect(steps[1]?.input).toMatchObject({ url: `${server.url}/users/7`, method: 'GET', timeoutMs: 5000 });
    expect(steps[1]?.output).toMatchObject({ status: 200, body: { id: 7 } });
    expect(steps[1]?.events.map((e) => e.type)).toEqual(['http']);
    expect(steps.every((s) => s.startedAt !== null && s.endedAt !== null && s.startedAt <= s.endedAt)).toBe(true);
    expect(progress.some((p) => p.nodeId === 'fetch_user' && p.status === 'running')).toBe(true);

    const history = await handle.fetchHistory();
    const scheduled = history.events?.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'wbHttpRequest') ?? [];
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityId)).toEqual(['fetch_user#2']);
  });

  it('runs branch + forEach + signal, flushing the record before it blocks', async () => {
    const run = runInfo();
    const handle = await start(branchy, { input: {}, run });
    const waiting = await waitForStep(handle, 'approval', 'running');
    expect(waiting.status).toBe('running');
    // The batch flushed before the signal wait already holds the loop's steps.
    const beforeSignal = batches.get(run.runId) ?? [];
    expect(beforeSignal.length).toBeGreaterThanOrEqual(1);
    expect(beforeSignal[0]).toMatchObject({ status: 'running', configSnapshot: null });
    expect(recordedSteps(beforeSignal).find((s) => s.nodeId === 'approval')?.status).toBe('running');

    await handle.signal('approve', { decision: 'yes' });
    expect(await handle.result()).toEqual({
      total: 28,
      decision: 'yes',
      lines: [
        { sku: 'a', total: 20, index: 0 },
        { sku: 'b', total: 5, index: 1 },
        { sku: 'c', total: 3, index: 2 },
      ],
    });

    const recorded = batches.get(run.runId) ?? [];
    expect(recorded.at(-1)?.status).toBe('completed');
    const steps = recordedSteps(recorded);
    expect(steps.map((s) => s.stepNumber)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(steps.filter((s) => s.iterationKey === null).map((s) => s.nodeId)).toEqual(['start', 'list', 'has_items', 'each', 'summary', 'approval', 'approved', 'end']);
    const loopSteps = steps.filter((s) => s.iterationKey !== null);
    expect(loopSteps).toHaveLength(6);
    expect(new Set(loopSteps.map((s) => s.iterationKey))).toEqual(new Set(['each:0', 'each:1', 'each:2']));
    expect(loopSteps.filter((s) => s.nodeId === 'price').map((s) => s.input)).toEqual(
      expect.arrayContaining([expect.objectContaining({ url: `${server.url}/prices/a` })]),
    );
    expect(steps.find((s) => s.nodeId === 'has_items')?.output).toBe(true);
    expect(steps.find((s) => s.nodeId === 'approval')?.output).toEqual({ decision: 'yes' });
    expect(steps.find((s) => s.nodeId === 'approval')?.events.map((e) => e.type)).toEqual(['signal']);
    expect(steps.some((s) => s.nodeId === 'none')).toBe(false);
  });

  it('takes the timeout path when a client override shortens the signal wait', async () => {
    const run = runInfo();
    const handle = await start(branchy, { input: {}, run, configOverrides: { approval: { timeoutSeconds: 1 } } });
    expect(await handle.result()).toMatchObject({ total: 28, decision: 'timeout' });
    const steps = recordedSteps(batches.get(run.runId) ?? []);
    expect(steps.find((s) => s.nodeId === 'approval')).toMatchObject({ status: 'succeeded', output: null });
    expect(steps.some((s) => s.nodeId === 'timed_out')).toBe(true);
  });

  it('fails the run naming the node, and records the failed step', async () => {
    const run = runInfo();
    const handle = await start(linear, { input: { userId: 1 }, run, configOverrides: { fetch_user: { url: `${server.url}/missing` } } });
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).message).toMatch(/^node "fetch_user" \(http\.request\) failed: GET .* returned status 404$/);
    expect((cause as ApplicationFailure).type).toBe('WbStepFailed');

    const recorded = batches.get(run.runId) ?? [];
    expect(recorded.at(-1)).toMatchObject({ status: 'failed', error: { type: 'WbStepFailed' } });
    const failed = recordedSteps(recorded).find((s) => s.nodeId === 'fetch_user');
    expect(failed).toMatchObject({ status: 'failed', retryCount: 0, error: { type: 'WbHttpStatusError', details: { status: 404, attempt: 1 } } });
  });

  it('records a cancelled run in a non-cancellable scope', async () => {
    const run = runInfo();
    const handle = await start(branchy, { input: {}, run });
    await waitForStep(handle, 'approval', 'running');
    await handle.cancel();
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const recorded = batches.get(run.runId) ?? [];
    expect(recorded.at(-1)?.status).toBe('cancelled');
    expect(recordedSteps(recorded).find((s) => s.nodeId === 'approval')?.status).toBe('cancelled');
  });

  it('records nothing when recordSteps is false', async () => {
    const run = runInfo({ recordSteps: false });
    const handle = await start(linear, { input: { userId: 3 }, run, configOverrides: { fetch_user: { url: `${server.url}/users/{{ input.userId }}` } } });
    expect(await handle.result()).toMatchObject({ user: { name: 'Ada Lovelace' } });
    expect(batches.get(run.runId)).toBeUndefined();
    const state = await handle.query<RunStateSnapshot>('wbState');
    expect(state.status).toBe('completed');
    expect(state.steps).toHaveLength(4);
  });

  it('runs the kitchen sink: AI agent, parallel with a child workflow, forEach', async () => {
    const run = runInfo();
    const configOverrides = {
      fetch: { url: `${server.url}/orders/{{ input.body.orderId }}` },
      line_price: { url: `${server.url}/prices/{{ item.sku }}` },
    };
    const handle = await start(kitchenSink, { input: { body: { orderId: 'o-1' } }, run, configOverrides });
    const result = (await handle.result()) as { ok: boolean; runId: string; result: { lines: unknown[]; status: number; gathered: Record<string, unknown> } };
    expect(result.ok).toBe(true);
    expect(result.runId).toBe(run.runId);
    expect(result.result.status).toBe(200);
    expect(result.result.lines).toEqual([
      { sku: 'a', total: 20 },
      { sku: 'b', total: 5 },
    ]);
    expect(result.result.gathered['enrich']).toEqual({ orderId: 'o-1', summary: expect.stringMatching(/^summary of \d+ chars$/) });
    const started = result.result.gathered['notify'] as { workflowId: string; runId: string };
    expect(started.workflowId).toMatch(new RegExp(`^${kitchenSink.workflowType}-${run.runId}/notify#\\d+$`));

    // The child ran on its own, with its own run id pointing back at the parent's step.
    const child = client.workflow.getHandle(started.workflowId);
    expect(await child.result()).toEqual({ sent: true, text: 'To o-1: Your order o-1 is confirmed.' });
    const steps = recordedSteps(batches.get(run.runId) ?? []);
    const notifyStep = steps.find((s) => s.nodeId === 'notify');
    const childRunId = (notifyStep?.events.find((e) => e.type === 'child')?.data as { runId: string }).runId;
    const childBatches = batches.get(childRunId) ?? [];
    expect(childBatches.at(-1)).toMatchObject({ status: 'completed', run: { parentRunId: run.runId, parentStepNumber: notifyStep?.stepNumber, workflowId: 'wf-notify', version: 4 } });

    expect(steps.find((s) => s.nodeId === 'summarize')).toMatchObject({ status: 'succeeded', output: { usage: { inputTokens: 3, outputTokens: 4 } } });
    expect(steps.find((s) => s.nodeId === 'fetch')?.output).toMatchObject({ body: { received: { orderId: 'o-1' } } });
    expect(steps.filter((s) => s.nodeId === 'line_price').map((s) => s.iterationKey).sort()).toEqual(['each_line:0', 'each_line:1']);
    expect(steps.map((s) => s.stepNumber)).toEqual(steps.map((_, i) => i + 1));
  });
});
