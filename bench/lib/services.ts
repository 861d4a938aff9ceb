/**
 * The benchmark's own services: an embedded Postgres (migrated like `db:migrate` does), the
 * Temporal dev server in memory, and a no-op node:http server. Nothing is shared with a running
 * stack or with the test run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest } from '@workflow-builder/db/migrator';
import { createDb, syncBuiltinComponents } from '@workflow-builder/db';
import {
  createDatabase,
  databaseUrls,
  ensureAppRoles,
  migrationsDir,
  startEmbeddedPostgres,
  devServerSettings,
  startTemporalDevServer,
  withClient,
  withDatabase,
  type DatabaseUrls,
  type TemporalServer,
} from '@workflow-builder/devstack';

export interface Services {
  urls: DatabaseUrls;
  temporal: TemporalServer;
  /** fsync/synchronous_commit as in production (`durable`), or the test clusters' `fast` settings. */
  pgMode: 'durable' | 'fast';
  pgSettings: Record<string, string>;
  /** `stock`: temporal/dev-server.json as is; `tuned`: plus {@link TUNED_DYNAMIC_CONFIG}. */
  temporalMode: 'stock' | 'tuned';
  temporalDynamicConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * The dev server (one history shard) lets its transfer-queue reader poll at most 20 times a
 * second (`history.transferProcessorMaxPollRPS`, Temporal's default). Every workflow task and
 * every activity task of a run goes through that queue, so a sequential workflow is throttled to
 * about 10 steps a second whatever the worker does, which hides the engine's own overhead.
 * `tuned` lifts that one limit; everything else stays as temporal/dev-server.json has it.
 */
export const TUNED_DYNAMIC_CONFIG: Record<string, unknown> = { 'history.transferProcessorMaxPollRPS': 1000 };

/**
 * Postgres: `durable` runs the cluster with Postgres' default durability (fsync and
 * synchronous_commit on, as a production database), in a throw-away data folder removed on stop;
 * `fast` is the test setup (fsync, synchronous_commit and full_page_writes off).
 */
export async function startServices(pgMode: 'durable' | 'fast', temporalMode: 'stock' | 'tuned'): Promise<Services> {
  const dataDir = pgMode === 'durable' ? await mkdtemp(path.join(os.tmpdir(), 'wb-bench-pg-')) : undefined;
  const pg = await startEmbeddedPostgres(dataDir ? { dataDir } : {});
  const stops: Array<() => Promise<void>> = [async () => {
    await pg.stop();
    if (dataDir) {
      await rm(dataDir, { recursive: true, force: true });
      if (pg.dataDir !== dataDir) await rm(path.dirname(pg.dataDir), { recursive: true, force: true });
    }
  }];
  try {
    const name = 'wb_bench';
    await createDatabase(pg.adminUrl, name);
    const admin = withDatabase(pg.adminUrl, name);
    // What scripts/lib/db-commands.ts migrateAndPrepare does.
    await migrateToLatest(admin, migrationsDir);
    await ensureAppRoles(admin);
    const db = createDb(admin, { max: 1 });
    try { await syncBuiltinComponents(db); } finally { await db.destroy(); }
    const pgSettings = await withClient(admin, async (c) => {
      const r = await c.query<{ name: string; setting: string }>(
        "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'server_version')");
      return Object.fromEntries(r.rows.map((row) => [row.name, row.setting]));
    });
    // startTemporalDevServer reads its flags from the parsed dev-server.json object: extend that
    // object in this process only (the file is not touched), then restore it.
    const saved = { ...devServerSettings.dynamicConfig };
    if (temporalMode === 'tuned') Object.assign(devServerSettings.dynamicConfig, TUNED_DYNAMIC_CONFIG);
    const temporalDynamicConfig = { ...devServerSettings.dynamicConfig };
    let temporal: TemporalServer;
    try {
      temporal = await startTemporalDevServer({ uiPort: null });
    } finally {
      for (const key of Object.keys(devServerSettings.dynamicConfig)) delete devServerSettings.dynamicConfig[key];
      Object.assign(devServerSettings.dynamicConfig, saved);
    }
    stops.unshift(() => temporal.stop());
    return {
      urls: databaseUrls(pg.adminUrl, name),
      temporal,
      pgMode,
      pgSettings,
      temporalMode,
      temporalDynamicConfig,
      stop: async () => { for (const s of stops) await s().catch((e: unknown) => console.error('stop failed', e)); },
    };
  } catch (e) {
    for (const s of stops) await s().catch(() => {});
    throw e;
  }
}

export interface NoopServer {
  url: string;
  requests(): number;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 answering every request with a small JSON body. */
export async function startNoopServer(): Promise<NoopServer> {
  let count = 0;
  const body = JSON.stringify({ ok: true });
  const server: Server = createServer((req, res) => {
    count++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
