import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDb, syncBuiltinComponents, syncBuiltinTemplates } from '@workflow-builder/db';
import { createTestDatabase, freePort, repoRoot, waitFor } from '@workflow-builder/devstack';

/**
 * The whole product for the browser tests, started the way `npm start` starts it: the API and
 * the worker manager as their own processes on a fresh database, the web app built by Vite and
 * served by `vite preview` (proxying /api to the API). Exposes WB_E2E_* to the tests.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const tdb = await createTestDatabase('e2e');
  const db = createDb(tdb.admin, { max: 1 });
  await syncBuiltinComponents(db);
  await syncBuiltinTemplates(db);
  await db.destroy();
  const apiPort = await freePort();
  const webPort = await freePort();
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  // Vite is the web app's dependency: its bin lives in the web package's node_modules.
  const vite = path.join(repoRoot, 'apps/web/node_modules/.bin/vite');
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
  const temporal = {
    TEMPORAL_ADDRESS: process.env.WB_TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: process.env.WB_TEST_TEMPORAL_NAMESPACE!,
  };
  const webDir = path.join(repoRoot, 'apps/web');
  const build = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: webDir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed (${build.error?.message ?? `exit ${build.status}`}):\n${build.stdout}\n${build.stderr}`);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  start('api', tsx, ['src/main.ts'], path.join(repoRoot, 'apps/api'), { ...temporal, DATABASE_URL: tdb.api, PORT: String(apiPort), LOG_LEVEL: 'warn', TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
  start('worker', tsx, ['src/main.ts'], path.join(repoRoot, 'apps/worker'), { ...temporal, DATABASE_URL: tdb.worker, WB_DEPLOY_POLL_MS: '1000', WB_PUBLIC_API_URL: apiUrl });

  start('web', vite, ['preview', '--port', String(webPort), '--strictPort', '--host', '127.0.0.1'], webDir, { WB_API_URL: apiUrl });

  const ok = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  try {
    await waitFor('the API', () => ok(`${apiUrl}/health`), 120_000, 300);
    await waitFor('the web app', () => ok(`http://127.0.0.1:${webPort}/`), 60_000, 300);
  } catch (e) {
    for (const c of children) c.kill('SIGTERM');
    throw new Error(`${(e as Error).message}\n--- api ---\n${logs.api}\n--- worker ---\n${logs.worker}\n--- web ---\n${logs.web}`);
  }
  process.env.WB_E2E_WEB_URL = `http://127.0.0.1:${webPort}`;
  process.env.WB_E2E_API_URL = apiUrl;
  process.env.WB_E2E_DATABASE_URL = tdb.admin;
  if (!existsSync('/usr/bin/chromium') && !process.env.WB_CHROMIUM) throw new Error('Chromium is missing: npm test installs it (apt-get install chromium)');

  return async () => {
    // The processes' last output, for when a browser test waits on something the worker never did.
    await mkdir(path.join(repoRoot, 'test-results'), { recursive: true });
    await writeFile(path.join(repoRoot, 'test-results', 'e2e-stack.log'), Object.entries(logs).map(([name, text]) => `--- ${name} ---\n${text}`).join('\n'));
    for (const c of children.reverse()) {
      if (c.exitCode !== null) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { c.kill('SIGKILL'); resolve(); }, 15_000);
        c.once('exit', () => { clearTimeout(t); resolve(); });
        c.kill('SIGTERM');
      });
    }
    await tdb.drop().catch(() => {});
  };
}
