import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Database } from '@workflow-builder/db';
import { createBatchActivities, type BatchActivityOptions } from './activities.ts';

export interface PlatformWorkerOptions extends BatchActivityOptions {
  db: Database;
  /** Owned by the platform Worker: closed by stop(). */
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  identity?: string;
  maxCachedWorkflows?: number;
  /**
   * Called when the Worker stops on its own (a fatal SDK or connection error), not through stop().
   * Without a platform Worker every batch stalls, so the process should exit and be restarted.
   */
  onFatal?: (error: unknown) => void;
}

const WORKFLOWS_PATH = fileURLToPath(new URL('./workflow.ts', import.meta.url));
let bundled: Promise<string> | undefined;

/** The orchestrator's bundle, built once per process (it is static code). */
export function platformBundle(): Promise<string> {
  bundled ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
  }).then((b) => b.code);
  bundled.catch(() => { bundled = undefined; });
  return bundled;
}

/**
 * The platform Worker: serves the batch orchestrator and its database activities on the platform
 * task queue. Started beside the WorkerManager by the worker process and by the test harness.
 */
export class PlatformWorker {
  private worker: Worker | null = null;
  private done: Promise<void> | null = null;

  constructor(private readonly opts: PlatformWorkerOptions) {}

  async start(): Promise<void> {
    const o = this.opts;
    this.worker = await Worker.create({
      connection: o.connection,
      namespace: o.namespace,
      taskQueue: o.taskQueue,
      identity: o.identity ?? `wb-platform@${process.pid}`,
      workflowBundle: { code: await platformBundle() },
      activities: createBatchActivities(o.db, o),
      maxCachedWorkflows: o.maxCachedWorkflows ?? 100,
      shutdownGraceTime: '10s',
    });
    const done = this.worker.run();
    this.done = done;
    done.then(
      () => { if (this.done === done && this.worker) this.opts.onFatal?.(new Error('platform worker stopped unexpectedly')); },
      (error: unknown) => { if (this.done === done) this.opts.onFatal?.(error); },
    );
  }

  async stop(): Promise<void> {
    if (!this.worker) return;
    const done = this.done;
    this.done = null;
    this.worker.shutdown();
    await done?.catch(() => {});
    this.worker = null;
    // The connection was made for this Worker alone.
    await this.opts.connection.close().catch(() => {});
  }
}
