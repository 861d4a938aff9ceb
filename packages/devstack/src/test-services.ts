import { randomBytes } from 'node:crypto';
import { migrateToLatest } from '@workflow-builder/db/migrator';
import { createDb, syncBuiltinComponents, syncBuiltinTemplates } from '@workflow-builder/db';
import { ensureAppRoles } from './app-roles.ts';
import { migrationsDir } from './paths.ts';
import { createDatabase, dropDatabase, startEmbeddedPostgres, withDatabase } from './postgres.ts';
import { startTemporalDevServer } from './temporal.ts';

export interface TestServices {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Postgres and Temporal for a test run. Postgres: DATABASE_URL's server when set, else an
 * embedded throw-away cluster; a migrated template database is created once per run and
 * each test file clones it. Temporal: TEMPORAL_ADDRESS when set, else a dev server in memory.
 * Already-started services (WB_TEST_* in env) are reused.
 */
export async function startTestServices(): Promise<TestServices> {
  const stops: Array<() => Promise<void>> = [];
  const env: Record<string, string> = {};

  if (!process.env.WB_TEST_PG_URL) {
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      const pg = await startEmbeddedPostgres();
      stops.push(pg.stop);
      serverUrl = pg.adminUrl;
    }
    const template = `wb_test_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}_template`;
    await createDatabase(serverUrl, template);
    await migrateToLatest(withDatabase(serverUrl, template), migrationsDir);
    await ensureAppRoles(withDatabase(serverUrl, template));
    const db = createDb(withDatabase(serverUrl, template), { max: 1 });
    try { await syncBuiltinComponents(db); await syncBuiltinTemplates(db); } finally { await db.destroy(); }
    env.WB_TEST_PG_URL = withDatabase(serverUrl, 'postgres');
    env.WB_TEST_TEMPLATE_DB = template;
    stops.push(() => dropDatabase(serverUrl, template).catch(() => {}));
  }

  if (!process.env.WB_TEST_TEMPORAL_ADDRESS) {
    if (process.env.TEMPORAL_ADDRESS) {
      env.WB_TEST_TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS;
      env.WB_TEST_TEMPORAL_NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
    } else {
      const t = await startTemporalDevServer({ uiPort: null });
      stops.push(t.stop);
      env.WB_TEST_TEMPORAL_ADDRESS = t.address;
      env.WB_TEST_TEMPORAL_NAMESPACE = t.namespace;
    }
  }

  return {
    env,
    stop: async () => {
      for (const s of stops.reverse()) await s();
    },
  };
}
