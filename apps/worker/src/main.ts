import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createDb, secretBoxFromEnv, syncBuiltinComponents } from '@workflow-builder/db';
import { createStepActivities } from '@workflow-builder/runtime/activities';
import { PlatformWorker } from './batch/platform-worker.ts';
import { WorkflowBundler } from './bundler.ts';
import { readEnv } from './env.ts';
import { WorkerManager } from './manager.ts';
import { RunReconciler } from './reconciler.ts';
import { RunRecorder } from './recorder.ts';
import { WorkerRegistry } from './registry.ts';
import { platformSecrets } from './secrets.ts';
import { platformStepCache } from './step-cache.ts';
import { egressFetch } from './egress.ts';
import { runtimeSnapshotsFrom, servedVersionsFrom } from './versions.ts';

const env = readEnv();
const log = (msg: string, extra?: unknown) => {
  const line: Record<string, unknown> = { level: 'info', time: new Date().toISOString(), msg };
  if (extra instanceof Error) { line.level = 'error'; line.err = extra.message; } else if (extra !== undefined) line.extra = extra;
  process.stdout.write(JSON.stringify(line) + '\n');
};

Runtime.install({ logger: new DefaultLogger(env.logLevel === 'debug' ? 'INFO' : 'WARN'), shutdownSignals: [] });
const db = createDb(env.databaseUrl, { max: 10, role: 'service_role', applicationName: 'workflow-builder-worker' });
await syncBuiltinComponents(db);
const { box, isDevelopmentKey } = secretBoxFromEnv(process.env);
if (isDevelopmentKey) log('WB_SECRET_KEY is not set: using the development key for project secrets');

const clientConnection = await Connection.connect({ address: env.temporalAddress });
const client = new Client({ connection: clientConnection, namespace: env.temporalNamespace });
const recorder = new RunRecorder(db);
const registry = new WorkerRegistry(db, `${os.hostname()}:${process.pid}`);
const manager = new WorkerManager({
  db,
  listenUrl: env.databaseUrl,
  connect: () => NativeConnection.connect({ address: env.temporalAddress }),
  namespace: env.temporalNamespace,
  bundler: new WorkflowBundler(env.cacheDir, log, runtimeSnapshotsFrom(db)),
  recorder,
  registry,
  activities: createStepActivities({ secrets: platformSecrets(db, box), recordRun: (batch) => recorder.recordRun(batch), cache: platformStepCache(db), fetch: egressFetch(env.egress) }),
  versions: servedVersionsFrom(db),
  pollMs: env.pollMs,
  log,
});
const reconciler = new RunReconciler(db, client, recorder, log);
// The batch orchestrator and its activities, on the platform task queue.
const platform = new PlatformWorker({
  db, connection: await NativeConnection.connect({ address: env.temporalAddress }), namespace: env.temporalNamespace,
  taskQueue: env.platformTaskQueue, publicApiUrl: env.publicApiUrl, fetch: egressFetch(env.egress), identity: `wb-platform@${os.hostname()}:${process.pid}`,
  onFatal: (error) => {
    // Batches stall without the platform Worker: exit non-zero so the supervisor restarts us.
    log('platform worker failed; exiting', error);
    void shutdown('platform worker failure');
  },
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: draining workers`);
  await reconciler.stop();
  await platform.stop();
  await manager.stop();
  await recorder.close();
  await clientConnection.close();
  await db.destroy();
  process.exit(signal === 'platform worker failure' ? 1 : 0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

await manager.start();
await platform.start();
reconciler.start();
log(`worker manager ready on ${env.temporalAddress} (namespace ${env.temporalNamespace})`);
