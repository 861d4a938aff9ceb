/**
 * The platform as the worker process runs it (apps/worker/src/main.ts), built the way
 * apps/worker/src/test/harness.ts builds it, with light instrumentation that wraps, never changes,
 * the production classes: bundle timings, `wbRecordRun` timings, progress-sink flush timings,
 * and switches that turn the final record write or the progress writes into no-ops so their cost
 * can be measured on its own.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createDb, withCaller, type Caller, type Database } from '@workflow-builder/db';
import { addMember, createOrg, createProject, createUser, withPg, type TestProject } from '@workflow-builder/db/test-helpers';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { deployWorkflow, startRun } from '@workflow-builder/engine';
import { createStepActivities } from '@workflow-builder/runtime/activities';
import type { RunRecordBatch } from '@workflow-builder/runtime/contract';
import type { DatabaseUrls } from '@workflow-builder/devstack';
// The worker app exports no entry point; its modules are imported by path (read-only use).
import { WorkflowBundler, type BundleVersion } from '../../apps/worker/src/bundler.ts';
import { WorkerManager } from '../../apps/worker/src/manager.ts';
import { RunRecorder } from '../../apps/worker/src/recorder.ts';
import { WorkerRegistry } from '../../apps/worker/src/registry.ts';
import { servedVersionsFrom } from '../../apps/worker/src/versions.ts';
import { now } from './stats.ts';

/**
 * WorkflowBundler that records each bundle() call: how long it took and whether it was served from
 * the bundler's cache (memory or disk) or had to build. The private `build` is wrapped (counted)
 * instead of recomputing the cache key, so the instrumentation adds no work to a deploy.
 */
export class TimedBundler extends WorkflowBundler {
  private builds = 0;
  readonly events: Array<{ ms: number; built: boolean }> = [];

  constructor(cacheDir: string) {
    super(cacheDir);
    const self = this as unknown as { build: (key: string, versions: BundleVersion[]) => Promise<string> };
    const build = self.build.bind(this);
    self.build = (key, versions) => { this.builds++; return build(key, versions); };
  }

  override bundle(versions: BundleVersion[]): Promise<string> {
    const before = this.builds;
    const t = now();
    const p = super.bundle(versions);
    const built = this.builds !== before;
    void p.then(() => this.events.push({ ms: now() - t, built }), () => {});
    return p;
  }
}

/** RunRecorder whose progress sink can be switched off, and whose flushes are timed and labelled. */
export class TimedRecorder extends RunRecorder {
  progressEnabled = true;
  progressReports = 0;
  /** Set by the benchmark: which run (or phase) is in progress when a flush starts. */
  label = '';
  /** Flushes that had buffered progress to write: label at start, runs in it, duration (ms; NaN until done). */
  readonly flushes: Array<{ label: string; runs: number; ms: number }> = [];

  /** Time spent in RunRecorder's private statement groups (wrapped, not changed), per label. */
  readonly parts = new Map<string, { upsertSteps: number[]; updateStatistics: number[] }>();

  constructor(db: Database, flushIntervalMs?: number) {
    super(db, flushIntervalMs);
    for (const name of ['upsertSteps', 'updateStatistics'] as const) {
      const self = this as unknown as Record<string, (...args: unknown[]) => Promise<void>>;
      const original = self[name]!.bind(this);
      self[name] = async (...args: unknown[]) => {
        const t = now();
        try { return await original(...args); } finally {
          // upsertSteps with authoritative=true is the final record; progress flushes pass false.
          if (name === 'updateStatistics' || args[4] === true) {
            const entry = this.parts.get(this.label) ?? { upsertSteps: [], updateStatistics: [] };
            entry[name].push(now() - t);
            this.parts.set(this.label, entry);
          }
        }
      };
    }
  }

  override progress(batch: RunRecordBatch): void {
    this.progressReports++;
    if (this.progressEnabled) super.progress(batch);
  }

  override flush(): Promise<void> {
    // `pending` is private to RunRecorder; read here for counting only.
    const runs = (this as unknown as { pending: Map<string, unknown> }).pending.size;
    const t = now();
    const p = super.flush();
    if (runs > 0) {
      const entry = { label: this.label, runs, ms: Number.NaN };
      this.flushes.push(entry);
      void p.then(() => { entry.ms = now() - t; });
    }
    return p;
  }
}

/**
 * Times Worker.create calls made by the worker manager (the SDK function is wrapped in this
 * process only; its behaviour is unchanged). Used to split a deploy's pickup time.
 */
export const workerCreateTimes: number[] = [];
const originalCreate = Worker.create.bind(Worker);
Worker.create = (async (options: Parameters<typeof Worker.create>[0]) => {
  const t = now();
  try { return await originalCreate(options); } finally { workerCreateTimes.push(now() - t); }
}) as typeof Worker.create;

export interface RunTiming {
  /** startRun returned (run recorded in Postgres, workflow started on Temporal). */
  startMs: number;
  /** Temporal reports the workflow closed. */
  resultMs: number;
  /** The Postgres run record is final (recording on); equals resultMs with recording off. */
  totalMs: number;
  runId: string;
  temporalWorkflowId: string;
}

export interface Platform {
  db: Database;
  apiDb: Database;
  client: Client;
  caller: Caller;
  manager: WorkerManager;
  bundler: TimedBundler;
  recorder: TimedRecorder;
  /** Per-label samples of the wbRecordRun write (ms); label set by the caller before each run. */
  recordRunSamples: Map<string, number[]>;
  setLabel(label: string): void;
  /** When false, wbRecordRun (the local activity) still runs but writes nothing. */
  setRecordWrite(enabled: boolean): void;
  /** Durations (ms) of the manager's NativeConnection.connect calls. */
  connectTimes: number[];
  newProject(): Promise<TestProject>;
  createWorkflow(project: TestProject, kebabName: string, definition: WorkflowDefinition): Promise<string>;
  saveDefinition(workflowId: string, definition: WorkflowDefinition): Promise<void>;
  /** deployWorkflow in one transaction as the developer; then waits (polling every 2 ms) until the manager serves it. */
  deploy(workflowId: string): Promise<{ version: number; workflowType: string; contentHash: string; deployMs: number; pickupMs: number }>;
  /**
   * startRun, then waits for Temporal to report the run closed and, when `waitForRecord`
   * (default: recordSteps), for its Postgres record to be final.
   */
  run(workflowId: string, recordSteps: boolean, waitForRecord?: boolean): Promise<RunTiming>;
  close(): Promise<void>;
}

export async function startPlatform(urls: DatabaseUrls, temporal: { address: string; namespace: string }): Promise<Platform> {
  const setup = await withPg(urls.admin, async (c) => {
    const developer = await createUser(c, 'bench');
    const orgId = await createOrg(c, 'Bench');
    await addMember(c, orgId, developer, 'developer');
    return { developer, orgId };
  });
  // Pool sizes as the worker process (10) and the harness' API side.
  const db = createDb(urls.worker, { max: 10, role: 'service_role', applicationName: 'bench-worker' });
  const apiDb = createDb(urls.api, { max: 4, applicationName: 'bench-api' });
  const clientConnection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection: clientConnection, namespace: temporal.namespace });
  const bundler = new TimedBundler(await mkdtemp(path.join(os.tmpdir(), 'wb-bench-bundles-')));
  // Production default flush interval (250 ms), as apps/worker/src/main.ts.
  const recorder = new TimedRecorder(db);
  const caller: Caller = { authUserId: setup.developer.authUserId, orgId: setup.orgId, requestId: 'bench' };
  const recordRunSamples = new Map<string, number[]>();
  let label = 'unlabelled';
  let recordWrite = true;
  const connectTimes: number[] = [];
  const manager = new WorkerManager({
    db,
    listenUrl: urls.worker,
    connect: async () => {
      const t = now();
      const c = await NativeConnection.connect({ address: temporal.address });
      connectTimes.push(now() - t);
      return c;
    },
    namespace: temporal.namespace,
    bundler,
    recorder,
    registry: new WorkerRegistry(db, `bench-${process.pid}`),
    activities: createStepActivities({
      secrets: { aiEndpoint: () => undefined },
      recordRun: async (batch) => {
        if (!recordWrite) return;
        const t = now();
        await recorder.recordRun(batch);
        const list = recordRunSamples.get(label) ?? [];
        list.push(now() - t);
        recordRunSamples.set(label, list);
      },
    }),
    versions: servedVersionsFrom(db),
    // main.ts defaults: poll bound 5 s (deploys arrive by NOTIFY), 200 cached workflows per Worker.
    pollMs: 5_000,
    maxCachedWorkflows: 200,
    log: (msg, extra) => { if (extra instanceof Error) console.error(msg, extra.message); },
  });
  await manager.start();

  const finalStatus = async (runId: string): Promise<string | undefined> => {
    const r = await sql<{ status: string }>`select status from public.user_workflow_run where run_id = ${runId}`.execute(db);
    return r.rows[0]?.status;
  };

  return {
    db, apiDb, client, caller, manager, bundler, recorder, recordRunSamples, connectTimes,
    setLabel(l) { label = l; },
    setRecordWrite(enabled) { recordWrite = enabled; },
    async newProject() {
      return withPg(urls.admin, (c) => createProject(c, setup.orgId, setup.developer));
    },
    async createWorkflow(project, kebabName, definition) {
      return withCaller(apiDb, caller, async (tx) => {
        const r = await sql<{ id: string }>`
          insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, definition)
          values (${setup.orgId}, ${project.projectId}, ${project.workstreamSlug}, ${kebabName}, ${kebabName},
                  app.current_user_id(), ${JSON.stringify(definition)}::jsonb) returning id`.execute(tx);
        return r.rows[0]!.id;
      });
    },
    async saveDefinition(workflowId, definition) {
      await withCaller(apiDb, caller, (tx) => sql`update public.workflows set definition = ${JSON.stringify(definition)}::jsonb,
        definition_version = definition_version + 1 where id = ${workflowId}`.execute(tx));
    },
    async deploy(workflowId) {
      const t0 = now();
      const v = await withCaller(apiDb, caller, (tx) => deployWorkflow(tx, workflowId));
      const t1 = now();
      const deadline = Date.now() + 120_000;
      for (;;) {
        const served = [...manager.served().values()].flat();
        if (served.some((s) => s.workflowId === workflowId && s.version === v.version)) break;
        if (Date.now() > deadline) throw new Error(`version ${v.version} was not picked up`);
        await new Promise((r) => setTimeout(r, 2));
      }
      return { version: v.version, workflowType: v.workflowType, contentHash: v.contentHash, deployMs: t1 - t0, pickupMs: now() - t1 };
    },
    async run(workflowId, recordSteps, waitForRecord = recordSteps) {
      const t0 = now();
      const started = await startRun(apiDb, client, caller, { workflowId, input: {}, channel: 'api', recordSteps });
      const t1 = now();
      await client.workflow.getHandle(started.temporalWorkflowId, started.temporalRunId).result();
      const t2 = now();
      if (waitForRecord) {
        // wbRecordRun runs before the workflow returns, so the record is normally final already.
        for (let i = 0; ; i++) {
          const status = await finalStatus(started.runId);
          if (status && !['pending', 'running'].includes(status)) {
            if (status !== 'completed') throw new Error(`run ${started.runId} ended ${status}`);
            break;
          }
          if (i > 5000) throw new Error(`run ${started.runId} still ${status}`);
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      const t3 = now();
      return { startMs: t1 - t0, resultMs: t2 - t0, totalMs: t3 - t0, runId: started.runId, temporalWorkflowId: started.temporalWorkflowId };
    },
    async close() {
      await manager.stop().catch(() => {});
      await recorder.close();
      await clientConnection.close();
      await db.destroy();
      await apiDb.destroy();
    },
  };
}
