import { sql } from 'kysely';
import pg from 'pg';
import { NativeConnection, Worker, type ActivityInboundCallsInterceptor, type InjectedSinks } from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';
import { Context } from '@temporalio/activity';
import type { Database } from '@workflow-builder/db';
import { PROGRESS_SINK, type RunRecordBatch, type StepActivityMeta } from '@workflow-builder/runtime/contract';
import { stepLogContext } from './activity-log-context.ts';
import { WorkflowBundler, type BundleVersion } from './bundler.ts';
import type { RunRecorder } from './recorder.ts';
import type { WorkerRegistry } from './registry.ts';

interface ProgressSinks extends Sinks {
  [PROGRESS_SINK]: { report(batch: RunRecordBatch): void };
}

/** A compiled version the manager must serve: active, or still running for open runs. */
export interface ServedVersion {
  orgId: string;
  projectId: string;
  taskQueue: string;
  workflowId: string;
  version: number;
  isActive: boolean;
  bundle: BundleVersion;
}

/** Loads the versions to serve; the default reads workflow_compiled_code (see loadServedVersions). */
export type VersionSource = () => Promise<ServedVersion[]>;

interface ProjectWorker {
  key: string;
  generation: number;
  workerId: string;
  worker: Worker;
  connection: NativeConnection;
  done: Promise<void>;
  versions: ServedVersion[];
}

export interface WorkerManagerOptions {
  db: Database;
  /** Connection string for LISTEN (a dedicated client). */
  listenUrl?: string;
  /**
   * Opens a connection for one Worker. Each Worker gets its own: the SDK refuses two Workers on
   * the same task queue over one connection, and the new Worker starts before the old one drained.
   */
  connect: () => Promise<NativeConnection>;
  namespace: string;
  bundler: WorkflowBundler;
  recorder: RunRecorder;
  registry: WorkerRegistry;
  activities: Record<string, (...args: never[]) => Promise<unknown>>;
  versions: VersionSource;
  /** Upper bound between reconciliations when no notification arrives. */
  pollMs?: number;
  maxCachedWorkflows?: number;
  log?: (msg: string, extra?: unknown) => void;
}

/**
 * Runs one Temporal Worker per project task queue with every version that project needs.
 * A deploy (NOTIFY wb_deploy, or the bounded poll) re-reads the versions; when a project's set
 * changed, a new Worker is created from the new bundle, the old one stops polling at once and
 * drains its in-flight tasks, and the new one takes over the queue. Versions with open runs stay
 * registered, so runs in flight finish on the code they started with.
 */
export class WorkerManager {
  private projects = new Map<string, ProjectWorker>();
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private reconciling: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly opts: WorkerManagerOptions) {}

  private log(msg: string, extra?: unknown) { this.opts.log?.(msg, extra); }

  async start(): Promise<void> {
    this.opts.registry.startHeartbeat();
    if (this.opts.listenUrl) {
      this.listener = new pg.Client({ connectionString: this.opts.listenUrl });
      this.listener.on('notification', () => this.trigger());
      this.listener.on('error', (e) => this.log('deploy listener failed; polling only', e));
      await this.listener.connect();
      await this.listener.query('listen wb_deploy');
    }
    await this.reconcile();
    this.timer = setInterval(() => this.trigger(), this.opts.pollMs ?? 5_000);
    this.timer.unref();
  }

  /** Runs a reconciliation now, or right after the current one. */
  trigger(): void {
    if (this.stopped) return;
    if (this.reconciling) { this.again = true; return; }
    this.reconciling = this.reconcile()
      .catch((e: unknown) => this.log('reconcile failed', e))
      .finally(() => {
        this.reconciling = null;
        if (this.again) { this.again = false; this.trigger(); }
      });
  }

  /** Waits until pending reconciliations are done (tests, deploy reporting). */
  async settled(): Promise<void> {
    while (this.reconciling) await this.reconciling;
  }

  async reconcile(): Promise<void> {
    const served = await this.opts.versions();
    const byProject = new Map<string, ServedVersion[]>();
    for (const v of served) byProject.set(v.projectId, [...(byProject.get(v.projectId) ?? []), v]);

    for (const [projectId, versions] of byProject) {
      const key = WorkflowBundler.keyOf(versions.map((v) => v.bundle));
      const current = this.projects.get(projectId);
      if (current?.key === key) continue;
      await this.replace(projectId, key, versions).catch(async (e: unknown) => {
        const first = versions[0]!;
        const message = e instanceof Error ? e.message : String(e);
        this.log(`project ${projectId}: worker failed to start`, e);
        await this.opts.registry.set(this.opts.registry.workerId(projectId, ++this.generation), { orgId: first.orgId, projectId, taskQueue: first.taskQueue }, 'error', message);
      });
    }
    for (const [projectId, current] of this.projects) {
      if (!byProject.has(projectId)) await this.retire(projectId, current);
    }
  }

  private async replace(projectId: string, key: string, versions: ServedVersion[]): Promise<void> {
    const first = versions[0]!;
    const project = { orgId: first.orgId, projectId, taskQueue: first.taskQueue };
    const generation = ++this.generation;
    const workerId = this.opts.registry.workerId(projectId, generation);
    await this.opts.registry.set(workerId, project, 'starting');
    const code = await this.opts.bundler.bundle(versions.map((v) => v.bundle));
    const recorder = this.opts.recorder;
    const sinks: InjectedSinks<ProgressSinks> = {
      [PROGRESS_SINK]: {
        report: { fn: (_info, batch: RunRecordBatch) => recorder.progress(batch), callDuringReplay: false },
      },
    };
    const connection = await this.opts.connect();
    const worker = await Worker.create({
      connection,
      namespace: this.opts.namespace,
      taskQueue: first.taskQueue,
      identity: workerId,
      workflowBundle: { code },
      activities: this.opts.activities,
      sinks,
      interceptors: { activity: [() => ({ inbound: new AttemptFailureRecorder(recorder) }), stepLogContext] },
      // Several Workers share this process: bound each one's sticky cache explicitly.
      maxCachedWorkflows: this.opts.maxCachedWorkflows ?? 200,
      shutdownGraceTime: '30s',
    });
    const previous = this.projects.get(projectId);
    // Stop the old Worker polling first (shutdown returns at once; it drains in the background),
    // then let the new one take the queue.
    if (previous) previous.worker.shutdown();
    const done = worker.run().then(
      () => this.opts.registry.set(workerId, project, 'stopped'),
      (e: unknown) => this.opts.registry.set(workerId, project, 'error', e instanceof Error ? e.message : String(e)),
    ).finally(() => connection.close().catch(() => {}));
    this.projects.set(projectId, { key, generation, workerId, worker, connection, done, versions });
    await this.opts.registry.set(workerId, project, 'running');
    await markPickedUp(this.opts.db, versions);
    this.log(`project ${projectId}: worker ${workerId} serving ${versions.length} version(s) on ${first.taskQueue}`);
    if (previous) await previous.done;
  }

  private async retire(projectId: string, current: ProjectWorker): Promise<void> {
    this.projects.delete(projectId);
    current.worker.shutdown();
    await current.done;
    this.log(`project ${projectId}: worker ${current.workerId} stopped (nothing to serve)`);
  }

  /** Project id -> versions currently served (for tests and diagnostics). */
  served(): Map<string, ServedVersion[]> {
    return new Map([...this.projects].map(([k, v]) => [k, v.versions]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    await this.listener?.end().catch(() => {});
    const all = [...this.projects.values()];
    this.projects.clear();
    for (const p of all) p.worker.shutdown();
    await Promise.all(all.map((p) => p.done));
    await this.opts.registry.stopAll();
  }
}

async function markPickedUp(db: Database, versions: ServedVersion[]): Promise<void> {
  for (const v of versions) {
    await sql`update public.workflow_compiled_code set picked_up_at = coalesce(picked_up_at, now())
              where workflow_id = ${v.workflowId} and version = ${v.version}`.execute(db);
  }
}

/** Records activity attempts that failed and will be retried (only the last reaches the workflow). */
class AttemptFailureRecorder implements ActivityInboundCallsInterceptor {
  constructor(private readonly recorder: RunRecorder) {}
  async execute(input: Parameters<ActivityInboundCallsInterceptor['execute'] & object>[0], next: Parameters<ActivityInboundCallsInterceptor['execute'] & object>[1]): Promise<unknown> {
    try {
      return await next(input);
    } catch (e) {
      const meta = input.args[0] as StepActivityMeta | undefined;
      if (meta && typeof meta === 'object' && 'runId' in meta && meta.recordSteps) {
        this.recorder.attemptFailed(meta, Context.current().info.attempt, e instanceof Error ? e : new Error(String(e)));
      }
      throw e;
    }
  }
}
