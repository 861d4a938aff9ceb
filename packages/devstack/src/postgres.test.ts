import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { withClient } from './postgres.ts';

describe('test databases', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => { await Promise.all(dbs.map((d) => d.drop())); });

  it('clones a migrated template, isolated from other clones', async () => {
    const a = await createTestDatabase('iso_a');
    const b = await createTestDatabase('iso_b');
    dbs.push(a, b);
    expect(a.name).not.toBe(b.name);
    await withClient(a.admin, (c) => c.query("insert into public.organizations (name, slug) values ('A', 'only-in-a')"));
    const inB = await withClient(b.admin, (c) => c.query("select count(*)::int as n from public.organizations where slug = 'only-in-a'"));
    expect(inB.rows[0].n).toBe(0);
    const migrated = await withClient(a.admin, (c) => c.query('select count(*)::int as n from schema_migrations'));
    expect(migrated.rows[0].n).toBeGreaterThan(0);
  });

  it('connects the API as a non-owner role that cannot bypass row-level security', async () => {
    const d = await createTestDatabase('roles');
    dbs.push(d);
    const r = await withClient(d.api, (c) => c.query("select current_user, rolbypassrls, rolsuper from pg_roles where rolname = current_user"));
    expect(r.rows[0]).toMatchObject({ current_user: 'wb_api', rolbypassrls: false, rolsuper: false });
    // NOINHERIT: without switching to `authenticated` it cannot even read a table.
    await expect(withClient(d.api, (c) => c.query('select * from public.organizations'))).rejects.toThrow(/permission denied/);
  });
});
