import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  dataDir, databaseUrls, devServerSettings, isPortOpen, repoRoot, startTemporalDevServer, waitFor, withDatabase,
} from '@workflow-builder/devstack';
import { migrateAndPrepare, productDatabase } from './db-commands.ts';
import { ProcessGroup } from './processes.ts';
import { seedDemo, DEMO_CREDENTIALS, DEMO_VIEWER } from './seed-demo.ts';

const API_PORT = Number(process.env.PORT ?? 3000);
const WEB_PORT = Number(process.env.WEB_PORT ?? 5173);
const log = (s: string) => console.log(`\x1b[1m[up]\x1b[0m ${s}`);

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return res.ok;
}

/** `npm start`: the whole product on embedded defaults, stopped cleanly by Ctrl-C. */
export async function runUp(): Promise<void> {
  const stops: Array<() => Promise<void>> = [];
  const group = new ProcessGroup();
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('stopping...');
    await group.stopAll();
    for (const s of stops.reverse()) await s().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  group.onUnexpectedExit = (name, code) => { console.error(`${name} exited unexpectedly (code ${code}); stopping everything.`); void shutdown(1); };

  try {
    log(process.env.DATABASE_URL ? 'using DATABASE_URL' : `starting embedded Postgres (data in ${path.relative(repoRoot, dataDir)}/postgres)`);
    const db = await productDatabase();
    stops.push(db.stop);
    const applied = await migrateAndPrepare(db.adminUrl);
    log(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
    const urls = databaseUrls(withDatabase(db.adminUrl, 'postgres'), new URL(db.adminUrl).pathname.slice(1));

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalNamespace = process.env.TEMPORAL_NAMESPACE ?? devServerSettings.namespace;
    let temporalUi: string | null = process.env.TEMPORAL_UI_URL ?? null;
    if (!temporalAddress) {
      if (await isPortOpen(devServerSettings.port)) throw new Error(`Port ${devServerSettings.port} is taken: is another Temporal running? Stop it or set TEMPORAL_ADDRESS.`);
      log('starting Temporal dev server (state in .data/temporal)');
      const t = await startTemporalDevServer({
        port: devServerSettings.port,
        uiPort: devServerSettings.uiPort,
        dbFile: path.join(repoRoot, devServerSettings.dbFile),
        logFile: path.join(dataDir, 'temporal', 'server.log'),
      });
      stops.push(t.stop);
      temporalAddress = t.address;
      temporalNamespace = t.namespace;
      temporalUi = t.uiUrl;
    }

    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: temporalNamespace,
      ...(temporalUi ? { TEMPORAL_UI_URL: temporalUi } : {}),
    };
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    group.start('api', tsx, ['src/main.ts'], { cwd: path.join(repoRoot, 'apps/api'), env: { ...env, DATABASE_URL: urls.api, PORT: String(API_PORT) } });
    if (existsSync(path.join(repoRoot, 'apps/worker/src/main.ts'))) {
      // Async batch steps call back through the API.
      group.start('worker', tsx, ['src/main.ts'], { cwd: path.join(repoRoot, 'apps/worker'), env: { ...env, DATABASE_URL: urls.worker, WB_PUBLIC_API_URL: `http://127.0.0.1:${API_PORT}` } });
    }
    const hasWeb = existsSync(path.join(repoRoot, 'apps/web/vite.config.ts'));
    if (hasWeb) {
      group.start('web', path.join(repoRoot, 'apps', 'web', 'node_modules', '.bin', 'vite'), ['--port', String(WEB_PORT), '--strictPort', '--host', '127.0.0.1'], {
        cwd: path.join(repoRoot, 'apps/web'), env: { ...env, WB_API_URL: `http://127.0.0.1:${API_PORT}` },
      });
    }

    await waitFor('the API to report healthy', () => httpOk(`http://127.0.0.1:${API_PORT}/health`), 90_000, 500);
    await seedDemo(`http://127.0.0.1:${API_PORT}`, log);
    if (hasWeb) await waitFor('the web app', () => httpOk(`http://127.0.0.1:${WEB_PORT}/`), 90_000, 500);

    console.log(`
\x1b[1mWorkflow Builder is up.\x1b[0m
  Web app        ${hasWeb ? `http://127.0.0.1:${WEB_PORT}` : '(not built yet)'}
  API            http://127.0.0.1:${API_PORT}   (health: /health)
  Temporal       ${temporalAddress} namespace ${temporalNamespace}${temporalUi ? `\n  Temporal UI    ${temporalUi}` : ''}
  Postgres       ${redact(urls.admin)}
  Demo sign-in   ${DEMO_CREDENTIALS.email} / ${DEMO_CREDENTIALS.password}  (viewer: ${DEMO_VIEWER.email} / ${DEMO_VIEWER.password})
Press Ctrl-C to stop everything.
`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    await shutdown(1);
  }
  await new Promise(() => {});
}

const redact = (url: string) => url.replace(/:\/\/([^:]+):[^@]+@/, '://$1:***@');
