import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, isPortOpen, waitFor } from './ports.ts';
import { repoRoot, toolsDir } from './paths.ts';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

interface DevServerSettings {
  namespace: string;
  ip: string;
  port: number;
  uiPort: number;
  dbFile: string;
  logLevel: string;
  dynamicConfig: Record<string, unknown>;
  /** Custom search attributes written on every run, so one id links an API request, a Temporal run and its Postgres record. */
  searchAttributes: Record<string, string>;
}

/** temporal/dev-server.json: the one place the dev server's settings live. */
export const devServerSettings: DevServerSettings = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'temporal', 'dev-server.json'), 'utf8'),
);
export const DEFAULT_NAMESPACE = devServerSettings.namespace;

export interface TemporalServer {
  address: string;
  uiUrl: string | null;
  namespace: string;
  stop(): Promise<void>;
}

/** Path of the Temporal CLI built by temporal/install.sh (building it when missing). */
export function temporalBinary(): string {
  if (process.env.WB_TEMPORAL_BIN && fs.existsSync(process.env.WB_TEMPORAL_BIN)) return process.env.WB_TEMPORAL_BIN;
  const cached = path.join(toolsDir, `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
  if (fs.existsSync(cached)) return cached;
  return execFileSync('bash', [path.join(repoRoot, 'temporal', 'install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/**
 * Starts the official Temporal dev server (`temporal server start-dev`): real
 * frontend, history, matching and visibility services on SQLite. With `dbFile`
 * state survives restarts; without it the server is in-memory (tests).
 */
export async function startTemporalDevServer(opts: {
  port?: number;
  uiPort?: number | null;
  namespace?: string;
  dbFile?: string;
  logFile?: string;
} = {}): Promise<TemporalServer> {
  const bin = temporalBinary();
  const port = opts.port ?? (await freePort());
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const ui = opts.uiPort !== null;
  const uiPort = ui ? (opts.uiPort ?? (await freePort())) : null;
  const s = devServerSettings;
  const args = [
    'server', 'start-dev',
    '--ip', s.ip,
    '--port', String(port),
    '--http-port', String(await freePort()),
    '--namespace', namespace,
    '--log-level', s.logLevel,
    ...Object.entries(s.dynamicConfig).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]),
    ...Object.entries(s.searchAttributes).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]),
  ];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (uiPort) args.push('--ui-port', String(uiPort)); else args.push('--headless');
  // Metrics on a random port, so two servers never clash on the default one.
  args.push('--metrics-port', String(await freePort()));

  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', out, out], detached: false });
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? -1; });
  const stopChild = () => { if (exited === null) child.kill('SIGTERM'); };
  process.once('exit', stopChild);

  try {
    await waitFor(`Temporal dev server on ${s.ip}:${port}`, async () => {
      if (exited !== null) throw new Error(`temporal server exited with code ${exited}${opts.logFile ? ` (see ${opts.logFile})` : ''}`);
      if (!(await isPortOpen(port, s.ip))) return false;
      // Port open is not enough: wait until the namespace is registered and served.
      return namespaceReady(bin, `${s.ip}:${port}`, namespace);
    }, 120_000, 300);
  } catch (e) {
    stopChild();
    throw e;
  }
  return {
    address: `${s.ip}:${port}`,
    uiUrl: uiPort ? `http://${s.ip}:${uiPort}` : null,
    namespace,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', stopChild);
        if (exited !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
        child.kill('SIGTERM');
      }),
  };
}

function namespaceReady(bin: string, address: string, namespace: string): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn(bin, ['operator', 'namespace', 'describe', '--address', address, '--namespace', namespace, '--command-timeout', '3s'], { stdio: 'ignore' });
    p.on('exit', (code) => resolve(code === 0));
    p.on('error', () => resolve(false));
  });
}
