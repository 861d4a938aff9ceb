import path from 'node:path';
import { migrateToLatest } from '@workflow-builder/db/migrator';
import { createDb, syncBuiltinComponents, syncBuiltinTemplates } from '@workflow-builder/db';
import { generateTypes } from '@workflow-builder/db/codegen';
import {
  createDatabase, dataDir, ensureAppRoles, migrationsDir, repoRoot, startEmbeddedPostgres, withDatabase,
} from '@workflow-builder/devstack';

export const LOCAL_PG_PORT = Number(process.env.WB_PG_PORT ?? 54329);
export const APP_DATABASE = 'workflow_builder';

/** The owner URL of the product's database: DATABASE_URL, or the embedded cluster (started here). */
export async function productDatabase(log: (s: string) => void = () => {}): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: LOCAL_PG_PORT, log });
  await createDatabase(server.adminUrl, APP_DATABASE);
  return { adminUrl: withDatabase(server.adminUrl, APP_DATABASE), stop: server.stop };
}

export async function migrateAndPrepare(adminUrl: string): Promise<string[]> {
  const results = await migrateToLatest(adminUrl, migrationsDir);
  await ensureAppRoles(adminUrl);
  const db = createDb(adminUrl, { max: 1 });
  try { await syncBuiltinComponents(db); await syncBuiltinTemplates(db); } finally { await db.destroy(); }
  return (results ?? []).map((r) => r.migrationName);
}

export async function runMigrate(): Promise<void> {
  const db = await productDatabase();
  try {
    const applied = await migrateAndPrepare(db.adminUrl);
    console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'Database is up to date.');
  } finally {
    await db.stop();
  }
}

export async function runCodegen(): Promise<void> {
  const server = await startEmbeddedPostgres();
  try {
    const url = withDatabase(server.adminUrl, 'codegen');
    await createDatabase(server.adminUrl, 'codegen');
    await migrateToLatest(url, migrationsDir);
    const out = path.join(repoRoot, 'packages/db/src/schema.generated.ts');
    await generateTypes(url, out);
    console.log(`Wrote ${path.relative(repoRoot, out)}`);
  } finally {
    await server.stop();
  }
}

export async function runScratchPg(): Promise<void> {
  const server = await startEmbeddedPostgres();
  const url = withDatabase(server.adminUrl, 'scratch');
  await createDatabase(server.adminUrl, 'scratch');
  await migrateAndPrepare(url);
  console.log(`Scratch Postgres (migrated) at ${url}\nCtrl-C stops it and deletes its data.`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await server.stop();
}
