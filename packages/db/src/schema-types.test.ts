import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@workflow-builder/devstack';
import { generateTypesSource } from './codegen.ts';

describe('generated Kysely table types', () => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase('codegen'); });
  afterAll(() => tdb.drop());

  it('match the migrated schema (run `npm run db:codegen` after changing a migration)', async () => {
    const committed = await fs.readFile(fileURLToPath(new URL('./schema.generated.ts', import.meta.url)), 'utf8');
    const fresh = await generateTypesSource(tdb.admin);
    expect(committed).toBe(fresh);
  });
});
