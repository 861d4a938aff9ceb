/**
 * The whole product for the HTTP and browser benchmarks, started the way apps/e2e's global setup
 * starts it (and so the way `npm start` does): the devstack services (embedded Postgres with a
 * migrated template, the Temporal dev server), a fresh database cloned from the template, the API
 * and the worker manager as their own processes, and optionally the web app built by Vite and
 * served by `vite preview` (proxying /api to the API).
 *
 * Differences from the e2e setup, all for measuring:
 * - WB_RATE_LIMIT_MAX is raised: the API's global limit (600 requests a minute per client IP) would
 *   answer 429 to almost every request of a 50-connection load test from 127.0.0.1.
 * - LOG_LEVEL=warn as in e2e (no per-request log lines); the worker polls at its default 5 s
 *   (e2e makes it 1 s).
 * - `pg: 'durable'` runs Postgres with fsync and synchronous_commit on (production settings) in a
 *   throw-away folder; the default `fast` is the test clusters' setup (fsync, synchronous_commit,
 *   full_page_writes off), which flatters writes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb, syncBuiltinComponents } from '@workflow-builder/db';
import {
  createTestDatabase,
  freePort,
  repoRoot,
  startEmbeddedPostgres,
  startTestServices,
  waitFor,
  withClient,
  type TestDatabase,
} from '@workflow-builder/devstack';

export interface StackOptions {
  /** Build and serve the web app too. */
  web?: boolean;
  /** Start the worker manager (as the product does); it polls the database once a second. */
  worker?: boolean;
  pg?: 'fast' | 'durable';
  /** Vite build into this folder (and preview it) instead of apps/web/dist. */
  webOutDir?: string;
  /** Extra vite build flags (e.g. ['--minify', 'false', '--sourcemap']). */
  webBuildArgs?: string[];
  /** Build the web app from this folder instead of apps/web (a patched copy, for A/B experiments). */
  webDir?: string;
  /** Extra environment of the API process (e.g. { LOG_LEVEL: 'info' }, compose's default). */
  apiEnv?: Record<string, string>;
  /** Run the API from this folder instead of apps/api (a patched copy, for A/B experiments). */
  apiDir?: string;
  /** Node flags for the API process (e.g. --cpu-prof): it then runs as `node <flags> --import tsx src/main.ts`. */
  apiNodeArgs?: string[];
  log?: (msg: string) => void;
}

export interface Stack {
  apiUrl: string;
  webUrl: string | null;
  db: TestDatabase;
  /** The API's process (tsx; the Node process serving requests is its child). */
  apiPid: number;
  workerPid: number | null;
  pgSettings: Record<string, string>;
  /** Last lines the API, worker and web server printed. */
  logs: Record<string, string>;
  stop(): Promise<void>;
}

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const vite = path.join(repoRoot, 'node_modules/.bin/vite');

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => { for (const s of stops.reverse()) await s().catch(() => {}); };
  try {
    // Services. startTestServices uses DATABASE_URL's server when set: for `durable`, start our
    // own persistent-settings cluster first and point it there.
    delete process.env.WB_TEST_PG_URL;
    delete process.env.WB_TEST_TEMPLATE_DB;
    const savedDatabaseUrl = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    if (opts.pg === 'durable') {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wb-http-bench-pg-'));
      const pg = await startEmbeddedPostgres({ dataDir });
      stops.push(async () => {
        await pg.stop();
        await rm(dataDir, { recursive: true, force: true });
        if (pg.dataDir !== dataDir) await rm(path.dirname(pg.dataDir), { recursive: true, force: true });
      });
      process.env.DATABASE_URL = pg.adminUrl;
    }
    log(`starting Postgres${opts.pg === 'durable' ? ' (durable)' : ''} and the Temporal dev server`);
    const services = await startTestServices();
    if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = savedDatabaseUrl;
    stops.push(() => services.stop());
    Object.assign(process.env, services.env);

    const tdb = await createTestDatabase('httpbench');
    stops.push(() => tdb.drop());
    const db = createDb(tdb.admin, { max: 1 });
    try { await syncBuiltinComponents(db); } finally { await db.destroy(); }
    const pgSettings = await withClient(tdb.admin, async (c) => {
      const r = await c.query<{ name: string; setting: string }>(
        "select name, current_setting(name) as setting from pg_settings where name in ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'work_mem', 'max_connections', 'jit')");
      return Object.fromEntries(r.rows.map((row) => [row.name, row.setting]));
    });

    const children: ChildProcess[] = [];
    const logs: Record<string, string> = {};
    const start = (name: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) => {
      const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      logs[name] = '';
      const keep = (c: Buffer) => { logs[name] = (logs[name]! + c.toString()).slice(-20_000); };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      children.push(child);
      return child;
    };
    stops.push(async () => {
      for (const c of [...children].reverse()) {
        if (c.exitCode !== null || c.signalCode !== null) continue;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => { c.kill('SIGKILL'); resolve(); }, 15_000);
          c.once('exit', () => { clearTimeout(t); resolve(); });
          c.kill('SIGTERM');
        });
      }
    });

    const temporal = {
      TEMPORAL_ADDRESS: process.env.WB_TEST_TEMPORAL_ADDRESS!,
      TEMPORAL_NAMESPACE: process.env.WB_TEST_TEMPORAL_NAMESPACE!,
    };
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    log('starting the API' + (opts.worker === false ? '' : ' and the worker manager'));
    const apiCmd: [string, string[]] = opts.apiNodeArgs ? [process.execPath, [...opts.apiNodeArgs, '--import', 'tsx', 'src/main.ts']] : [tsx, ['src/main.ts']];
    const api = start('api', apiCmd[0], apiCmd[1], opts.apiDir ?? path.join(repoRoot, 'apps/api'), {
      ...temporal, DATABASE_URL: tdb.api, PORT: String(apiPort), LOG_LEVEL: 'warn', NODE_ENV: 'production',
      WB_SECRET_KEY: 'ab'.repeat(32), WB_RATE_LIMIT_MAX: '1000000000', TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
      ...opts.apiEnv,
    });
    let workerPid: number | null = null;
    if (opts.worker !== false) {
      workerPid = start('worker', tsx, ['src/main.ts'], path.join(repoRoot, 'apps/worker'), { ...temporal, DATABASE_URL: tdb.worker, WB_SECRET_KEY: 'ab'.repeat(32) }).pid ?? null;
    }

    let webUrl: string | null = null;
    if (opts.web) {
      const web = await previewWeb(apiUrl, { outDir: opts.webOutDir, buildArgs: opts.webBuildArgs, webDir: opts.webDir, log, start });
      webUrl = web.url;
    }

    try {
      await waitFor('the API', () => ok(`${apiUrl}/health`), 120_000, 300);
      if (webUrl) await waitFor('the web app', () => ok(`${webUrl}/`), 60_000, 300);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- api ---\n${logs.api}\n--- worker ---\n${logs.worker}\n--- web ---\n${logs.web}`);
    }
    if (webUrl && !existsSync(process.env.WB_CHROMIUM ?? '/usr/bin/chromium')) throw new Error('Chromium is missing (apt-get install chromium)');
    return { apiUrl, webUrl, db: tdb, apiPid: api.pid!, workerPid, pgSettings, logs, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

const ok = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

type Starter = (name: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) => ChildProcess;

/**
 * `vite build` of apps/web (into `outDir` when given, with extra build flags) and `vite preview`
 * of it proxying /api to `apiUrl`. With `start` the preview is one of the stack's processes;
 * without, it is stopped by the returned stop().
 */
export async function previewWeb(apiUrl: string, opts: { outDir?: string; buildArgs?: string[]; webDir?: string; log?: (msg: string) => void; start?: Starter } = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const webDir = opts.webDir ?? path.join(repoRoot, 'apps/web');
  const outArgs = opts.outDir ? ['--outDir', opts.outDir, '--emptyOutDir'] : [];
  opts.log?.(`vite build${opts.buildArgs?.length ? ` ${opts.buildArgs.join(' ')}` : ''}${opts.outDir ? ` --outDir ${opts.outDir}` : ''} in ${webDir}`);
  const build = spawnSync(vite, ['build', '--logLevel', 'warn', ...outArgs, ...(opts.buildArgs ?? [])], { cwd: webDir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  const port = await freePort();
  const args = ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', ...(opts.outDir ? ['--outDir', opts.outDir] : [])];
  const env = { WB_API_URL: apiUrl };
  const child = opts.start
    ? opts.start('web', vite, args, webDir, env)
    : spawn(vite, args, { cwd: webDir, env: { ...process.env, ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  if (!opts.start) await waitFor('the web preview', () => ok(`${url}/`), 60_000, 300);
  return {
    url,
    stop: async () => {
      if (opts.start || child.exitCode !== null) return;
      await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); setTimeout(resolve, 10_000); });
    },
  };
}
