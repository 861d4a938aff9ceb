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

describe('built-in component catalog', () => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase('catalog'); });
  afterAll(() => tdb.drop());

  it('holds every node kind as a public built-in component, and re-syncing is idempotent', async () => {
    const { createDb } = await import('./connection.ts');
    const { syncBuiltinComponents } = await import('./catalog.ts');
    const { nodeKinds } = await import('@workflow-builder/definition');
    const db = createDb(tdb.admin, { max: 1 });
    try {
      await syncBuiltinComponents(db);
      const { sql } = await import('kysely');
      const rows = await sql<{ name: string; type: string; visibility: string }>`
        select c.name, t.name as type, v.name as visibility from public.components c
        join public.component_types t on t.id = c.component_type_id
        join public.component_visibility v on v.id = c.visibility_id
        where c.org_id is null order by c.name`.execute(db);
      expect(rows.rows.map((r) => r.name)).toEqual(nodeKinds.map((k) => k.kind).sort());
      expect(new Set(rows.rows.map((r) => r.visibility))).toEqual(new Set(['public']));
      const http = rows.rows.find((r) => r.name === 'http.request');
      expect(http?.type).toBe('activity');
    } finally {
      await db.destroy();
    }
  });
});
