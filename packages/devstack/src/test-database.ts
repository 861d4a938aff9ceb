import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from './postgres.ts';
import { databaseUrls, type DatabaseUrls } from './stack-urls.ts';

export interface TestDatabase extends DatabaseUrls {
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, fully migrated database for one test file, cloned from the template the
 * test run migrated once (WB_TEST_PG_URL + WB_TEST_TEMPLATE_DB, set by the global setup).
 *
 * @example
 * const tdb = await createTestDatabase(); afterAll(() => tdb.drop());
 */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const server = process.env.WB_TEST_PG_URL;
  const template = process.env.WB_TEST_TEMPLATE_DB;
  if (!server || !template) throw new Error('WB_TEST_PG_URL / WB_TEST_TEMPLATE_DB are not set: run tests through `npm test` or a vitest config using the devstack global setup');
  const name = `${template.replace(/_template$/, '')}_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase().slice(0, 20)}_${randomBytes(3).toString('hex')}`;
  await createDatabase(server, name, template);
  return { name, ...databaseUrls(server, name), drop: () => dropDatabase(server, name) };
}
