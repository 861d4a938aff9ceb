import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import type { DB } from '@workflow-builder/db';
import { createTestDatabase, type TestDatabase } from '@workflow-builder/devstack';
import { createOrg, createProject, createUser, createWorkflow, withPg } from '@workflow-builder/db/test-helpers';
import { RunReconciler } from './reconciler.ts';
import type { RunRecorder } from './recorder.ts';
import { servedVersionsFrom } from './versions.ts';

/**
 * The worker polls open runs every few seconds (reconciler, served versions). With many closed
 * runs the partial indexes of 20260105000900_open_run_indexes.sql must carry those polls: the
 * SQL is captured from the real poll functions and explained on a table of 30,000 closed runs.
 */
describe('open-run indexes', () => {
  let tdb: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<DB>;
  const sent: CompiledQuery[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase('open-run-indexes');
    await withPg(tdb.admin, async (c) => {
      const user = await createUser(c);
      const orgs = [await createOrg(c), await createOrg(c), await createOrg(c)];
      for (const orgId of orgs) {
        const project = await createProject(c, orgId, user);
        const workflowId = await createWorkflow(c, orgId, project, { createdBy: user });
        // 10,000 closed runs per organisation over the last 30 days, then 3 open ones.
        await c.query(
          `insert into public.user_workflow_run (org_id, project_id, workflow_id, workstream_slug, channel, created_by, status, compiled_version, created_at, updated_at)
           select $1, $2, $3, $4, 'web', $5, (array['completed', 'failed', 'cancelled', 'timed_out'])[1 + i % 4], 1,
                  now() - make_interval(mins => i * 4), now() - make_interval(mins => i * 4)
           from generate_series(1, 10000) i`,
          [orgId, project.projectId, workflowId, project.workstreamSlug, user.userId],
        );
        await c.query(
          `insert into public.user_workflow_run (org_id, project_id, workflow_id, workstream_slug, channel, created_by, status, compiled_version)
           select $1, $2, $3, $4, 'web', $5, (array['pending', 'running'])[1 + i % 2], 1 from generate_series(1, 3) i`,
          [orgId, project.projectId, workflowId, project.workstreamSlug, user.userId],
        );
      }
      await c.query('analyze public.user_workflow_run');
    });
    // As the worker connects (apps/worker/src/main.ts): its login role acting as service_role.
    pool = new pg.Pool({ connectionString: tdb.worker, max: 2, options: '-c role=service_role' });
    db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => { if (event.level === 'query') sent.push(event.query); },
    });
  }, 120_000);
  afterAll(async () => { await db?.destroy(); await tdb?.drop(); });

  /** The plan of `query` (its own SQL and parameters) as the worker's role sees it. */
  const plan = async (query: CompiledQuery): Promise<string> => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, [...query.parameters]);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const pollOf = (pattern: RegExp): CompiledQuery => {
    const query = sent.find((q) => pattern.test(q.sql));
    expect(query, `no query matching ${pattern}`).toBeDefined();
    return query!;
  };

  it('the reconciler finds open runs through the partial index on updated_at', async () => {
    // The open runs were created just now (younger than 2 s): nothing to ask Temporal about.
    const reconciler = new RunReconciler(db, {} as Client, {} as RunRecorder, () => {});
    expect(await reconciler.reconcileOnce()).toBe(0);
    const text = await plan(pollOf(/from public\.user_workflow_run\s+where status in/));
    // Either partial index over open runs carries it (both hold only the open rows; the planner picks by cost).
    expect(text).toMatch(/idx_user_workflow_run_open_(updated|versions)/);
    expect(text).not.toMatch(/Seq Scan on user_workflow_run/);
  });

  it('the served-versions poll finds versions of open runs through the partial index', async () => {
    await servedVersionsFrom(db)();
    const text = await plan(pollOf(/from public\.user_workflow_run r\s+where r\.status in/));
    // Either partial index over open runs carries it (both hold only the open rows; the planner picks by cost).
    expect(text).toMatch(/idx_user_workflow_run_open_(updated|versions)/);
    expect(text).not.toMatch(/Seq Scan on user_workflow_run/);
  });

  it('those indexes hold only open runs: a page or two, whatever the number of closed runs', async () => {
    const { rows } = await pool.query<{ name: string; bytes: string }>(
      `select c.relname as name, pg_relation_size(c.oid)::text as bytes from pg_class c
       where c.relname in ('idx_user_workflow_run_open_updated', 'idx_user_workflow_run_open_versions', 'idx_user_workflow_run_org_status') order by 1`);
    const size = Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
    expect(size.idx_user_workflow_run_org_status).toBeGreaterThan(100 * 8192);
    expect(size.idx_user_workflow_run_open_updated).toBeLessThanOrEqual(2 * 8192);
    expect(size.idx_user_workflow_run_open_versions).toBeLessThanOrEqual(2 * 8192);
  });
});
