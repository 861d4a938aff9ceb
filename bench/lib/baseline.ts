/** The hand-written SDK baseline: its own bundle, its own Worker, its own task queue. */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { baselineActivities } from './baseline-activities.ts';
import { now } from './stats.ts';

export const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface Baseline {
  code: string;
  bundleMs: number;
  taskQueue: string;
  /** One run; `startOptions` adds what startRun passes (memo, 6 search attributes, execution timeout). */
  run(shape: 'seq' | 'par', url: string, n: number, startOptions: boolean): Promise<{ startMs: number; totalMs: number; workflowId: string }>;
  close(): Promise<void>;
}

export async function startBaseline(address: string, namespace: string, client: Client): Promise<Baseline> {
  const t = now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../baseline-workflows.ts', import.meta.url)),
    logger: silentLogger as never,
  });
  const bundleMs = now() - t;
  const connection = await NativeConnection.connect({ address });
  const taskQueue = `bench-baseline-${process.pid}`;
  // The same Worker settings the worker manager uses for a project Worker.
  const worker = await Worker.create({
    connection, namespace, taskQueue, workflowBundle: { code }, activities: baselineActivities,
    maxCachedWorkflows: 200, shutdownGraceTime: '30s',
  });
  const running = worker.run();
  return {
    code, bundleMs, taskQueue,
    async run(shape, url, n, startOptions) {
      const workflowId = `bench-sdk-${randomUUID()}`;
      const extra = startOptions ? {
        workflowExecutionTimeout: '3600s',
        memo: { requestId: 'bench', runId: workflowId },
        searchAttributes: {
          WbOrgId: [randomUUID()], WbProjectId: [randomUUID()], WbWorkflowId: [randomUUID()], WbRunId: [workflowId],
          WbWorkstream: ['ws_bench'], WbRequestId: ['bench'],
        },
      } : {};
      const t0 = now();
      const handle = await client.workflow.start(shape === 'seq' ? 'baselineSequential' : 'baselineParallel', {
        taskQueue, workflowId, args: [url, n], ...extra,
      });
      const t1 = now();
      await handle.result();
      return { startMs: t1 - t0, totalMs: now() - t0, workflowId };
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
