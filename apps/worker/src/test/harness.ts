import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createDb, secretBoxFromEnv, withCaller, type Caller, type Database } from '@workflow-builder/db';
import { addMember, createOrg, createProject, createUser, withPg, type TestProject, type TestUser } from '@workflow-builder/db/test-helpers';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { deployWorkflow, startRun, type StartRunRequest } from '@workflow-builder/engine';
import { createTestDatabase, type TestDatabase } from '@workflow-builder/devstack';
import { createStepActivities } from '@workflow-builder/runtime/activities';
import { PlatformWorker } from '../batch/platform-worker.ts';
import { WorkflowBundler } from '../bundler.ts';
import { WorkerManager } from '../manager.ts';
import { RunReconciler } from '../reconciler.ts';
import { RunRecorder } from '../recorder.ts';
import { WorkerRegistry } from '../registry.ts';
import { runtimeSnapshotsFrom, servedVersionsFrom } from '../versions.ts';
import { platformSecrets } from '../secrets.ts';
import { platformStepCache } from '../step-cache.ts';
import { egressFetch, type EgressPolicy } from '../egress.ts';

let runtimeInstalled = false;

/** Real Postgres + the real Temporal dev server + an in-process worker manager, for one test file. */
export interface Harness {
  tdb: TestDatabase;
  /** The worker's connection (service_role). */
  db: Database;
  /** The API's connection (RLS as a caller). */
  apiDb: Database;
  client: Client;
  developer: TestUser;
  orgId: string;
  project: TestProject;
  caller: Caller;
  manager: WorkerManager;
  recorder: RunRecorder;
  reconciler: RunReconciler;
  /** The platform Worker's task queue (batch orchestrator), unique to this harness. */
  platformTaskQueue: string;
  /** Base of async batch steps' callback URLs (`<base>/v1/hooks/batch-callbacks/<token>`). */
  publicApiUrl: string;
  /** Starts the worker manager and the platform Worker (again, after stopWorkers). */
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  createWorkflow(kebabName: string, definition: WorkflowDefinition): Promise<string>;
  saveDefinition(workflowId: string, definition: WorkflowDefinition): Promise<void>;
  deploy(workflowId: string): Promise<{ version: number; workflowType: string }>;
  start(workflowId: string, input: unknown, extra?: Partial<StartRunRequest>): Promise<{ runId: string; temporalWorkflowId: string }>;
  /** Waits until the run has a final status in Postgres and returns the run row. */
  waitForRun(runId: string, timeoutMs?: number): Promise<RunRow>;
  steps(runId: string): Promise<StepRow[]>;
  close(): Promise<void>;
}

export interface RunRow { status: string; output: unknown; error_message: string | null; compiled_version: number; duration_ms: number | null; ended_at: Date | null }
export interface StepRow { step_number: number; node_id: string; node_kind: string; status: string; retry_count: number; attempt_count: number; input_data: unknown; output_data: unknown; events: Array<{ type: string; data?: unknown }>; error_message: string | null; iteration_key: string | null }

export interface HarnessOptions {
  /** Base of async batch steps' callback URLs; default http://api.invalid (tests call back directly). */
  publicApiUrl?: string;
  /** Egress policy of the workers' HTTP calls; default: nothing blocked (tests call local servers). */
  egress?: EgressPolicy;
}

export async function startHarness(label: string, options: HarnessOptions = {}): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const tdb = await createTestDatabase(label);
  const setup = await withPg(tdb.admin, async (c) => {
    const developer = await createUser(c, 'dev');
    const orgId = await createOrg(c, 'Acme');
    await addMember(c, orgId, developer, 'developer');
    const project = await createProject(c, orgId, developer);
    return { developer, orgId, project };
  });
  const db = createDb(tdb.worker, { max: 8, role: 'service_role' });
  const apiDb = createDb(tdb.api, { max: 4 });
  const address = process.env.WB_TEST_TEMPORAL_ADDRESS!;
  const namespace = process.env.WB_TEST_TEMPORAL_NAMESPACE!;
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'wb-worker-cache-'));
  const bundler = new WorkflowBundler(cacheDir, () => {}, runtimeSnapshotsFrom(db));
  const recorder = new RunRecorder(db, 50);
  const caller: Caller = { authUserId: setup.developer.authUserId, orgId: setup.orgId, requestId: `test-${label}` };
  const reconciler = new RunReconciler(db, client, recorder);
  let manager: WorkerManager;
  const newManager = () => new WorkerManager({
    db, listenUrl: tdb.worker, connect: () => NativeConnection.connect({ address }), namespace, bundler, recorder,
    registry: new WorkerRegistry(db, `test-${label}-${Date.now()}`),
    activities: createStepActivities({
      secrets: platformSecrets(db, secretBoxFromEnv({}).box), recordRun: (b) => recorder.recordRun(b), cache: platformStepCache(db),
      fetch: egressFetch(options.egress ?? { blockPrivateNetworks: false }),
    }),
    versions: servedVersionsFrom(db),
    pollMs: 500,
    maxCachedWorkflows: 50,
    log: (msg, extra) => { if (extra instanceof Error) console.error(msg, extra.message); },
  });
  manager = newManager();
  const platformTaskQueue = `wb-platform-${label}-${Date.now().toString(36)}`;
  const publicApiUrl = options.publicApiUrl ?? 'http://api.invalid';
  let platform: PlatformWorker | null = null;

  const h: Harness = {
    tdb, db, apiDb, client, caller, recorder, reconciler, platformTaskQueue, publicApiUrl, ...setup,
    get manager() { return manager; },
    async startWorkers() {
      manager = newManager();
      await manager.start();
      platform = new PlatformWorker({ db, connection: await NativeConnection.connect({ address }), namespace, taskQueue: platformTaskQueue, publicApiUrl, maxCachedWorkflows: 20, fetch: egressFetch(options.egress ?? { blockPrivateNetworks: false }) });
      await platform.start();
    },
    async stopWorkers() {
      await platform?.stop();
      platform = null;
      await manager.stop();
    },
    async createWorkflow(kebabName, definition) {
      return withCaller(apiDb, caller, async (tx) => {
        const r = await sql<{ id: string }>`
          insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, definition)
          values (${setup.orgId}, ${setup.project.projectId}, ${setup.project.workstreamSlug}, ${kebabName}, ${kebabName},
                  app.current_user_id(), ${JSON.stringify(definition)}::jsonb) returning id`.execute(tx);
        return r.rows[0]!.id;
      });
    },
    async saveDefinition(workflowId, definition) {
      await withCaller(apiDb, caller, (tx) => sql`update public.workflows set definition = ${JSON.stringify(definition)}::jsonb,
        definition_version = definition_version + 1 where id = ${workflowId}`.execute(tx));
    },
    async deploy(workflowId) {
      const v = await withCaller(apiDb, caller, (tx) => deployWorkflow(tx, workflowId));
      // The manager hears the NOTIFY; wait until it serves the new version.
      const deadline = Date.now() + 60_000;
      for (;;) {
        await manager.settled();
        const served = [...manager.served().values()].flat();
        if (served.some((s) => s.workflowId === workflowId && s.version === v.version)) break;
        if (Date.now() > deadline) throw new Error(`version ${v.version} was not picked up`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return { version: v.version, workflowType: v.workflowType };
    },
    async start(workflowId, input, extra = {}) {
      const r = await startRun(apiDb, client, caller, { workflowId, input, channel: 'api', ...extra });
      return { runId: r.runId, temporalWorkflowId: r.temporalWorkflowId };
    },
    async waitForRun(runId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await sql<RunRow>`select status, output, error_message, compiled_version, duration_ms, ended_at
                                   from public.user_workflow_run where run_id = ${runId}`.execute(db);
        const row = r.rows[0];
        if (row && !['pending', 'running'].includes(row.status)) return row;
        if (Date.now() > deadline) throw new Error(`run ${runId} still ${row?.status} after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 100));
      }
    },
    async steps(runId) {
      const r = await sql<StepRow>`select step_number, node_id, node_kind, status, retry_count, attempt_count, input_data, output_data,
                                          events, error_message, iteration_key
                                   from public.user_workflow_run_step where run_id = ${runId} order by step_number`.execute(db);
      return r.rows;
    },
    async close() {
      await reconciler.stop();
      await platform?.stop();
      await manager.stop().catch(() => {});
      await recorder.close();
      await clientConnection.close();
      await db.destroy();
      await apiDb.destroy();
      await tdb.drop();
    },
  };
  return h;
}
