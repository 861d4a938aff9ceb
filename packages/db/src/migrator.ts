import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import pg from 'pg';

/**
 * Reads plain SQL migrations (`<timestamp>_<name>.sql`) from a folder, in file-name order.
 * Each file runs as one Kysely migration, inside the migrator's transaction.
 */
export class SqlFolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(this.folder)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await fs.readFile(path.join(this.folder, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        // Simple-query protocol: a file may hold many statements, including DO blocks.
        up: async (db) => { await sql.raw(text).execute(db); },
      };
    }
    return migrations;
  }
}

export const MIGRATION_TABLE = 'schema_migrations';

/**
 * Applies every pending migration in `folder` to the database at `adminUrl` (an owner
 * connection). Re-running is a no-op. Throws with the failing file's name on error.
 *
 * @example
 * await migrateToLatest(process.env.DATABASE_ADMIN_URL!, 'supabase/migrations');
 */
export async function migrateToLatest(adminUrl: string, folder: string): Promise<MigrationResultSet['results']> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) });
  try {
    const migrator = new Migrator({
      db,
      provider: new SqlFolderMigrationProvider(folder),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: `${MIGRATION_TABLE}_lock`,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error');
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${message}`, { cause: error });
    }
    return results ?? [];
  } finally {
    await db.destroy();
  }
}
