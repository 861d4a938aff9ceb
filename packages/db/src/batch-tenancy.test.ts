/**
 * Tenant isolation of the batch, registry, config and cache tables, directly as the API's
 * `authenticated` role (no API in between): a member sees only their organisation's rows, a member
 * of another organisation (claiming either organisation) sees and changes nothing, and the batch
 * callback tokens are out of reach of `authenticated` and `anon` except through the single-use
 * claim function.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@workflow-builder/devstack';
import {
  asCaller, createTenant, createUser, one, uniq, withPg, type TenantFixture, type TestUser,
} from './test-helpers.ts';

/** Tables holding one row per tenant in this test, with the column that identifies it. */
const TABLES = [
  'batch_items', 'workflow_states', 'enrichment_results', 'enrichment_registry', 'client_workflow_configs',
  'user_workflow_config', 'user_workflow_cache_state',
] as const;

interface Rows extends TenantFixture {
  ids: Record<(typeof TABLES)[number], string>;
  token: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('tenant isolation of batches, registry, configs and the step cache', () => {
  let tdb: TestDatabase;
  let admin: pg.Client;
  let devA: TestUser;
  let devB: TestUser;
  let a: Rows;
  let b: Rows;

  /** One row in each table for the tenant, written as the database owner. */
  async function seed(t: TenantFixture): Promise<Rows> {
    const step = `step_${uniq()}`;
    const q = <T = string>(text: string, values: unknown[]) => one<T>(admin, text, values);
    const registry = await q(
      `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id)
       values ($1, $2, $3, 'Step', 'sync', $4) returning id`, [t.orgId, step, t.project.workstreamSlug, t.workflowId]);
    const item = await q('insert into public.batch_items (org_id, batch_id, position, data) values ($1, $2, 0, $3) returning id', [t.orgId, t.batchId, '{"name":"Acme"}']);
    const state = await q(
      'insert into public.workflow_states (org_id, batch_id, item_id, step_name, workstream_slug) values ($1, $2, $3, $4, $5) returning id',
      [t.orgId, t.batchId, item, step, t.project.workstreamSlug]);
    const result = await q(
      `insert into public.enrichment_results (org_id, batch_id, item_id, workflow_slug, workstream_slug, result)
       values ($1, $2, $3, $4, $5, '{"ok":true}') returning id`, [t.orgId, t.batchId, item, step, t.project.workstreamSlug]);
    const clientConfig = await q(
      `insert into public.client_workflow_configs (org_id, client_id, workflow_slug, workstream_slug, config)
       values ($1, $2, $3, $4, '{}') returning id`, [t.orgId, t.clientId, step, t.project.workstreamSlug]);
    const named = await q(
      `insert into public.user_workflow_config (org_id, workflow_id, name, version, config) values ($1, $2, 'base', 1, '{}') returning id`,
      [t.orgId, t.workflowId]);
    const cache = await q(
      `insert into public.user_workflow_cache_state (org_id, workflow_id, node_id, cache_key, value)
       values ($1, $2, 'fetch', $3, '{"cached":true}') returning id`, [t.orgId, t.workflowId, `key:${uniq()}`]);
    const token = `tok_${uniq()}${uniq()}`;
    await admin.query(
      `insert into public.batch_callbacks (token_hash, org_id, batch_id, item_id, step_name, task_token, expires_at)
       values ($1, $2, $3, $4, $5, '\\x01'::bytea, now() + interval '1 hour')`, [sha256(token), t.orgId, t.batchId, item, step]);
    return {
      ...t, token,
      ids: {
        batch_items: item, workflow_states: state, enrichment_results: result, enrichment_registry: registry,
        client_workflow_configs: clientConfig, user_workflow_config: named, user_workflow_cache_state: cache,
      },
    };
  }

  beforeAll(async () => {
    tdb = await createTestDatabase('batch-tenancy');
    admin = new pg.Client({ connectionString: tdb.admin });
    await admin.connect();
    devA = await createUser(admin, 'dev-a');
    devB = await createUser(admin, 'dev-b');
    a = await seed(await createTenant(admin, 'Org A', devA));
    b = await seed(await createTenant(admin, 'Org B', devB));
  });
  afterAll(async () => {
    await admin?.end();
    await tdb?.drop();
  });

  it("shows a member only their organisation's rows, with no where clause", async () => {
    await asCaller(tdb.api, devA, a.orgId, async (c) => {
      for (const table of TABLES) {
        const rows = (await c.query(`select id, org_id from public.${table}`)).rows;
        expect(rows.map((r) => r.id), table).toContain(a.ids[table]);
        expect(rows.filter((r) => r.org_id !== a.orgId), table).toEqual([]);
      }
    });
  });

  it("shows a member of another organisation nothing, whichever organisation they claim", async () => {
    for (const claimed of [a.orgId, b.orgId]) {
      await asCaller(tdb.api, devB, claimed, async (c) => {
        for (const table of TABLES) {
          const ids = (await c.query(`select id from public.${table}`)).rows.map((r) => r.id);
          expect(ids, `${table} as B claiming ${claimed === a.orgId ? 'A' : 'B'}`).not.toContain(a.ids[table]);
        }
      });
    }
  });

  it("lets no one update or delete another organisation's rows", async () => {
    await asCaller(tdb.api, devB, b.orgId, async (c) => {
      for (const table of TABLES) {
        expect((await c.query(`update public.${table} set org_id = org_id where id = $1`, [a.ids[table]])).rowCount, `update ${table}`).toBe(0);
        expect((await c.query(`delete from public.${table} where id = $1`, [a.ids[table]])).rowCount, `delete ${table}`).toBe(0);
      }
    }, { commit: true });
    for (const table of TABLES) {
      expect(await one<number>(admin, `select count(*)::int from public.${table} where id = $1`, [a.ids[table]]), table).toBe(1);
    }
  });

  it("refuses inserts into another organisation's batch, registry and configs", async () => {
    await asCaller(tdb.api, devB, b.orgId, async (c) => {
      const attempts: Array<[string, unknown[]]> = [
        ['insert into public.batch_items (org_id, batch_id, position) values ($1, $2, 99)', [a.orgId, a.batchId]],
        ['insert into public.batch_items (org_id, batch_id, position) values ($1, $2, 99)', [b.orgId, a.batchId]],
        [`insert into public.user_workflow_config (org_id, workflow_id, name, version, config) values ($1, $2, 'x', 1, '{}')`, [b.orgId, a.workflowId]],
        [`insert into public.user_workflow_cache_state (org_id, workflow_id, node_id, cache_key, value) values ($1, $2, 'n', 'k', '{}')`, [b.orgId, a.workflowId]],
        [`insert into public.client_workflow_configs (org_id, client_id, workflow_slug, workstream_slug, config) values ($1, $2, 's', $3, '{}')`,
          [b.orgId, a.clientId, a.project.workstreamSlug]],
      ];
      for (const [text, values] of attempts) {
        await c.query('savepoint s');
        // 42501: the policy refuses; 23503: the row would point at another organisation's parent.
        await expect(c.query(text, values), text).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|23503)$/) });
        await c.query('rollback to savepoint s');
      }
    });
  });

  it('keeps batch callback tokens away from authenticated and anon', async () => {
    await asCaller(tdb.api, devA, a.orgId, async (c) => {
      await expect(c.query('select * from public.batch_callbacks')).rejects.toMatchObject({ code: '42501' });
    });
    await withPg(tdb.api, async (c) => {
      await c.query('begin');
      await c.query('set local role anon');
      await expect(c.query('select token_hash from public.batch_callbacks')).rejects.toMatchObject({ code: '42501' });
      await c.query('rollback');
    });
  });

  it('claims a callback token once, by its hash only, as anon', async () => {
    const claim = (hash: string) => withPg(tdb.api, async (c) => {
      await c.query('begin');
      await c.query('set local role anon');
      const r = await c.query('select org_id, batch_id, step_name, expired from app.claim_batch_callback($1)', [hash]);
      await c.query('commit');
      return r.rows;
    });
    // The token itself (not its hash) and a guessed hash find nothing.
    expect(await claim(a.token)).toEqual([]);
    expect(await claim('0'.repeat(64))).toEqual([]);
    const first = await claim(sha256(a.token));
    expect(first).toEqual([expect.objectContaining({ org_id: a.orgId, batch_id: a.batchId, expired: false })]);
    expect(await claim(sha256(a.token))).toEqual([]);
    // B's token is untouched by A's claim.
    expect(await one<string | null>(admin, 'select used_at from public.batch_callbacks where token_hash = $1', [sha256(b.token)])).toBeNull();
  });
});
