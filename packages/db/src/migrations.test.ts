import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  createDatabase, createTestDatabase, dropDatabase, migrationsDir, withDatabase, type TestDatabase,
} from '@workflow-builder/devstack';
import { migrateToLatest } from '@workflow-builder/db/migrator';
import {
  addMember, asCaller, createClient, createOrg, createProject, createRun, createTenant, createUser, createWorkflow,
  one, uniq, withPg, type TenantFixture, type TestProject, type TestUser,
} from './test-helpers.ts';

/** Every table the migrations must create (seeds 000–004 adapted, plus project_secrets). */
const LOOKUP_TABLES = ['component_types', 'component_visibility', 'workflow_statuses'];
/** Catalog tables whose built-in rows have no organisation. */
const CATALOG_TABLES = ['components', 'agent_prompts', 'workflow_templates'];
const TENANT_TABLES = [
  'task_queues', 'projects', 'project_secrets', 'clients',
  'workflows', 'workflow_nodes', 'workflow_edges', 'workflow_compiled_code', 'workflow_workers',
  'workflow_work_queues', 'workflow_signals', 'workflow_queries', 'workflow_scheduled_workflows', 'workflow_child_workflows',
  'user_workflows', 'user_workflow_run', 'user_workflow_run_step', 'user_workflow_config', 'user_workflow_cache_state',
  'workflow_executions', 'activity_statistics',
  'enrichment_registry', 'client_workflow_configs', 'batches', 'batch_items', 'workflow_states', 'enrichment_results',
];
const ALL_TABLES = [...LOOKUP_TABLES, ...CATALOG_TABLES, ...TENANT_TABLES];

interface ConstraintRow {
  name: string;
  table: string;
  type: 'p' | 'u' | 'f' | 'c';
  columns: string[];
  ref_table: string | null;
  ref_columns: string[] | null;
  on_delete: string;
  on_update: string;
  nulls_not_distinct: boolean | null;
}

const CONSTRAINTS_SQL = `
  select c.conname as name, cl.relname as table, c.contype as type,
         array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
               join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as columns,
         fcl.relname as ref_table,
         case when c.confrelid <> 0 then
           array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) end as ref_columns,
         c.confdeltype as on_delete, c.confupdtype as on_update,
         (select i.indnullsnotdistinct from pg_index i where i.indexrelid = c.conindid and c.contype = 'u') as nulls_not_distinct
  from pg_constraint c
  join pg_class cl on cl.oid = c.conrelid
  left join pg_class fcl on fcl.oid = c.confrelid
  where cl.relnamespace = 'public'::regnamespace and c.contype in ('p', 'u', 'f', 'c')`;

// confdeltype / confupdtype codes.
const CASCADE = 'c';
const SET_NULL = 'n';

/** Rejects with a Postgres error carrying `code` (and `constraint` when given). */
async function expectPgError(p: Promise<unknown>, code: string, constraint?: string): Promise<void> {
  await expect(p).rejects.toMatchObject(constraint ? { code, constraint } : { code });
}

describe('migrations', () => {
  let tdb: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    tdb = await createTestDatabase('migrations');
    admin = new pg.Client({ connectionString: tdb.admin });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await tdb?.drop();
  });

  describe('applying', () => {
    it('applies every file to an empty database once; re-running is a no-op', async () => {
      const server = process.env.WB_TEST_PG_URL;
      if (!server) throw new Error('WB_TEST_PG_URL is not set (devstack global setup)');
      const name = `wb_migrations_fresh_${randomBytes(3).toString('hex')}`;
      await createDatabase(server, name);
      try {
        const url = withDatabase(server, name);
        const files = (await fs.readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));
        const first = await migrateToLatest(url, migrationsDir);
        expect((first ?? []).map((r) => [r.migrationName, r.status])).toEqual(files.map((f) => [f, 'Success']));
        const second = await migrateToLatest(url, migrationsDir);
        expect(second).toEqual([]);
        const recorded = await withPg(url, (c) => c.query('select name from schema_migrations order by name'));
        expect(recorded.rows.map((r) => r.name)).toEqual(files);
      } finally {
        await dropDatabase(server, name);
      }
    });

    it('the test database (cloned from the migrated template) has nothing pending', async () => {
      expect(await migrateToLatest(tdb.admin, migrationsDir)).toEqual([]);
    });
  });

  describe('schema', () => {
    let constraints: ConstraintRow[];
    beforeAll(async () => {
      constraints = (await admin.query(CONSTRAINTS_SQL)).rows as ConstraintRow[];
    });

    const has = (table: string, type: ConstraintRow['type'], columns: string[], extra: Partial<ConstraintRow> = {}) =>
      expect(constraints).toContainEqual(expect.objectContaining({ table, type, columns, ...extra }));

    it('creates every table, with row-level security enabled and policies', async () => {
      const r = await admin.query(
        `select c.relname, c.relrowsecurity, (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
         from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'`,
      );
      const byName = new Map(r.rows.map((row) => [row.relname as string, row]));
      for (const t of ALL_TABLES) {
        expect(byName.get(t), t).toMatchObject({ relrowsecurity: true });
        expect(byName.get(t)?.policies, `${t} policies`).toBeGreaterThan(0);
      }
    });

    it('seeds the lookup tables', async () => {
      const names = async (t: string) => (await admin.query(`select name from public.${t} order by name`)).rows.map((r) => r.name);
      expect(await names('component_types')).toEqual(['activity', 'agent', 'signal', 'trigger']);
      expect(await names('component_visibility')).toEqual(['organization', 'private', 'public']);
      expect(await names('workflow_statuses')).toEqual(['active', 'archived', 'draft', 'paused']);
      const colors = await admin.query('select count(*)::int as n from public.workflow_statuses where color is null');
      expect(colors.rows[0].n).toBe(0);
    });

    it('gives every tenant table a not-null org_id referencing organizations on delete cascade, and an index leading with it', async () => {
      for (const t of [...TENANT_TABLES, ...CATALOG_TABLES]) {
        const col = await admin.query(
          `select is_nullable from information_schema.columns where table_schema = 'public' and table_name = $1 and column_name = 'org_id'`, [t],
        );
        expect(col.rows[0], `${t}.org_id`).toEqual({ is_nullable: CATALOG_TABLES.includes(t) ? 'YES' : 'NO' });
        has(t, 'f', ['org_id'], { ref_table: 'organizations', ref_columns: ['id'], on_delete: CASCADE });
        const idx = await admin.query(
          `select count(*)::int as n from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
           where i.indrelid = $1::regclass and a.attname = 'org_id'`, [`public.${t}`],
        );
        expect(idx.rows[0].n, `${t}: index leading with org_id`).toBeGreaterThan(0);
      }
    });

    it('has the primary keys, unique keys and foreign keys of the seeds', () => {
      // Workstreams (seeds 000/001, newest).
      has('enrichment_registry', 'p', ['id']);
      has('enrichment_registry', 'u', ['slug', 'workstream_slug'], { name: 'enrichment_registry_slug_workstream_unique' });
      has('client_workflow_configs', 'u', ['client_id', 'workflow_slug', 'workstream_slug'], { name: 'client_workflow_configs_client_workflow_workstream_unique' });
      has('client_workflow_configs', 'f', ['workflow_slug', 'workstream_slug'], {
        name: 'client_workflow_configs_workflow_fkey', ref_table: 'enrichment_registry', ref_columns: ['slug', 'workstream_slug'],
      });
      has('enrichment_results', 'f', ['workflow_slug', 'workstream_slug'], {
        name: 'enrichment_results_workflow_fkey', ref_table: 'enrichment_registry', ref_columns: ['slug', 'workstream_slug'],
      });
      has('enrichment_registry', 'f', ['org_id', 'workstream_slug'], { ref_table: 'projects', ref_columns: ['org_id', 'workstream_slug'], on_update: CASCADE });
      has('batches', 'f', ['org_id', 'workstream_slug'], { ref_table: 'projects', on_update: CASCADE });
      has('batch_items', 'u', ['batch_id', 'position']);
      has('batch_items', 'f', ['org_id', 'batch_id'], { ref_table: 'batches', ref_columns: ['org_id', 'id'], on_delete: CASCADE });
      has('workflow_states', 'u', ['item_id', 'step_name']);
      has('workflow_states', 'f', ['org_id', 'item_id'], { ref_table: 'batch_items', on_delete: CASCADE });
      has('workflow_states', 'f', ['org_id', 'run_id'], { ref_table: 'user_workflow_run', ref_columns: ['org_id', 'run_id'], on_delete: SET_NULL });
      has('enrichment_results', 'f', ['org_id', 'item_id'], { ref_table: 'batch_items', on_delete: CASCADE });
      has('clients', 'u', ['org_id', 'name']);

      // Projects and workflows.
      has('projects', 'u', ['workstream_slug']);
      has('projects', 'u', ['org_id', 'name']);
      has('projects', 'u', ['task_queue_name']);
      has('projects', 'f', ['org_id', 'task_queue_name'], { ref_table: 'task_queues', ref_columns: ['org_id', 'name'] });
      has('project_secrets', 'u', ['project_id', 'name']);
      has('task_queues', 'u', ['name']);
      has('workflows', 'u', ['workstream_slug', 'kebab_name']);
      has('workflows', 'u', ['project_id', 'name', 'version']);
      has('workflows', 'f', ['org_id', 'project_id', 'workstream_slug'], {
        ref_table: 'projects', ref_columns: ['org_id', 'id', 'workstream_slug'], on_update: CASCADE, on_delete: CASCADE,
      });
      expect(constraints.filter((c) => c.table === 'workflows' && c.type === 'u' && c.columns.length === 1 && c.columns[0] === 'kebab_name')).toEqual([]);
      has('workflow_nodes', 'u', ['workflow_id', 'node_id']);
      has('workflow_nodes', 'f', ['org_id', 'workflow_id'], { ref_table: 'workflows', on_delete: CASCADE });
      has('workflow_edges', 'u', ['workflow_id', 'edge_id']);
      has('workflow_compiled_code', 'u', ['workflow_id', 'version']);
      has('workflow_workers', 'u', ['worker_id']);
      has('workflow_work_queues', 'u', ['workflow_id', 'queue_name']);
      has('workflow_work_queues', 'u', ['workflow_id', 'signal_name']);
      has('workflow_work_queues', 'u', ['workflow_id', 'query_name']);
      has('workflow_signals', 'u', ['workflow_id', 'signal_name']);
      has('workflow_queries', 'u', ['workflow_id', 'query_name']);
      has('workflow_signals', 'f', ['org_id', 'work_queue_id'], { ref_table: 'workflow_work_queues', on_delete: SET_NULL });
      has('workflow_child_workflows', 'f', ['org_id', 'parent_workflow_id'], { ref_table: 'workflows', on_delete: CASCADE });
      has('components', 'u', ['name', 'version', 'created_by']);
      has('agent_prompts', 'u', ['name', 'version', 'created_by']);
      has('components', 'f', ['visibility_id'], { ref_table: 'component_visibility' });
      has('components', 'f', ['component_type_id'], { ref_table: 'component_types' });
      has('workflows', 'f', ['status_id'], { ref_table: 'workflow_statuses' });

      // User workflows and runs (seeds 002/004).
      has('workflow_templates', 'p', ['id']);
      has('user_workflows', 'u', ['workflow_id']);
      has('user_workflows', 'f', ['org_id', 'workflow_id'], { ref_table: 'workflows', on_delete: CASCADE });
      has('user_workflows', 'f', ['template_id'], { ref_table: 'workflow_templates', on_delete: SET_NULL });
      expect(constraints).toContainEqual(expect.objectContaining({
        table: 'workflow_executions', type: 'c', name: 'workflow_executions_source_check',
        columns: expect.arrayContaining(['template_id', 'user_workflow_id']),
      }));
      has('workflow_executions', 'f', ['template_id'], { ref_table: 'workflow_templates', on_delete: SET_NULL });
      has('workflow_executions', 'f', ['org_id', 'user_workflow_id'], { ref_table: 'user_workflows', on_delete: CASCADE });
      has('workflow_executions', 'u', ['run_id']);
      has('workflow_executions', 'u', ['temporal_run_id']);
      has('user_workflow_run', 'p', ['run_id']);
      has('user_workflow_run', 'f', ['org_id', 'workflow_id'], { ref_table: 'workflows', on_delete: CASCADE });
      has('user_workflow_run', 'f', ['created_by'], { ref_table: 'users' });
      has('user_workflow_run_step', 'u', ['run_id', 'step_number']);
      has('user_workflow_run_step', 'f', ['org_id', 'run_id'], { ref_table: 'user_workflow_run', on_delete: CASCADE });
      has('user_workflow_config', 'u', ['workflow_id', 'name', 'version']);
      has('user_workflow_cache_state', 'u', ['workflow_id', 'node_id', 'cache_key']);
      has('activity_statistics', 'u', ['org_id', 'component_id', 'workflow_id'], { nulls_not_distinct: true });
    });

    it('has the partial unique indexes, GIN indexes and list indexes', async () => {
      const r = await admin.query(`select indexname, indexdef from pg_indexes where schemaname = 'public'`);
      const defs = r.rows.map((row) => row.indexdef as string);
      const expectIndex = (re: RegExp) => expect(defs.some((d) => re.test(d)), re.source).toBe(true);
      expectIndex(/UNIQUE INDEX \w+ ON public\.workflow_compiled_code USING btree \(workflow_id\) WHERE is_active/);
      expectIndex(/UNIQUE INDEX \w+ ON public\.components USING btree \(name, version\) WHERE \(org_id IS NULL\)/);
      expectIndex(/UNIQUE INDEX \w+ ON public\.agent_prompts USING btree \(name, version\) WHERE \(org_id IS NULL\)/);
      expectIndex(/ON public\.components USING gin \(tags\)/);
      expectIndex(/ON public\.components USING gin \(capabilities\)/);
      expectIndex(/ON public\.user_workflow_run USING gin \(context jsonb_path_ops\)/);
      expectIndex(/ON public\.user_workflow_run_step USING gin \(events jsonb_path_ops\)/);
      expectIndex(/ON public\.user_workflow_run USING btree \(org_id, created_at DESC, run_id DESC\)/);
      expectIndex(/ON public\.user_workflow_run USING btree \(org_id, workflow_id, created_at DESC\)/);
      expectIndex(/ON public\.user_workflow_run USING btree \(org_id, status, created_at DESC\)/);
      expectIndex(/idx_batches_workstream_slug ON public\.batches USING btree \(workstream_slug\)/);
      expectIndex(/ON public\.workflow_states USING btree \(status, updated_at\)/);
    });

    it('keeps updated_at current with a trigger on every table that has it', async () => {
      const r = await admin.query(
        `select c.table_name,
                exists (select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
                        where t.tgrelid = format('public.%I', c.table_name)::regclass
                          and t.tgname = 'update_' || c.table_name || '_updated_at'
                          and p.proname = 'update_updated_at_column') as has_trigger
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
         where c.table_schema = 'public' and c.column_name = 'updated_at'`,
      );
      const tables = r.rows.map((row) => row.table_name as string);
      for (const t of ALL_TABLES.filter((t) => !['workflow_nodes', 'workflow_edges', 'workflow_compiled_code', 'workflow_executions', 'enrichment_results', ...LOOKUP_TABLES].includes(t))) {
        expect(tables, `${t} has updated_at`).toContain(t);
      }
      expect(r.rows.filter((row) => !row.has_trigger).map((row) => row.table_name)).toEqual([]);
      const types = await admin.query(
        `select table_name, data_type, is_nullable, column_default from information_schema.columns
         where table_schema = 'public' and column_name in ('created_at', 'updated_at') and table_name = any($1)`, [ALL_TABLES],
      );
      for (const row of types.rows) expect(row, `${row.table_name}`).toMatchObject({ data_type: 'timestamp with time zone', is_nullable: 'NO', column_default: 'now()' });
    });

    it('creates the compatibility views with security_invoker', async () => {
      const r = await admin.query(
        `select relname, reloptions from pg_class where relnamespace = 'public'::regnamespace and relkind = 'v' and relname in ('workflow_trace', 'workflow_steps') order by relname`,
      );
      expect(r.rows).toEqual([
        { relname: 'workflow_steps', reloptions: ['security_invoker=true'] },
        { relname: 'workflow_trace', reloptions: ['security_invoker=true'] },
      ]);
    });

    it('stores node ids as text', async () => {
      const r = await admin.query(
        `select table_name, data_type from information_schema.columns where table_schema = 'public' and column_name = 'node_id' order by table_name`,
      );
      expect(r.rows).toEqual([
        { table_name: 'user_workflow_cache_state', data_type: 'character varying' },
        { table_name: 'user_workflow_run_step', data_type: 'character varying' },
        { table_name: 'workflow_nodes', data_type: 'character varying' },
        { table_name: 'workflow_steps', data_type: 'character varying' },
      ]);
    });
  });

  describe('behaviour', () => {
    let dev: TestUser;
    let orgId: string;
    let ws1: TestProject;
    let ws2: TestProject;

    beforeAll(async () => {
      dev = await createUser(admin, 'dev');
      orgId = await createOrg(admin, 'Behaviour');
      await addMember(admin, orgId, dev, 'developer');
      ws1 = await createProject(admin, orgId, dev, `apollo_scrape_${uniq()}`);
      ws2 = await createProject(admin, orgId, dev, `crm_data_${uniq()}`);
    });

    it('rejects a project workstream_slug that is not lowercase snake case', async () => {
      await expectPgError(createProject(admin, orgId, dev, 'Apollo-Scrape'), '23514', 'projects_workstream_slug_check');
    });

    it('accepts the same step slug in two workstreams and rejects it twice in one', async () => {
      const insert = (ws: TestProject) => admin.query(
        `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type) values ($1, 'normalize_all_core_values', $2, 'Normalize', 'async')`,
        [orgId, ws.workstreamSlug],
      );
      await insert(ws1);
      await insert(ws2);
      await expectPgError(insert(ws1), '23505', 'enrichment_registry_slug_workstream_unique');
      const rows = await admin.query(
        `select workstream_slug from public.enrichment_registry where slug = 'normalize_all_core_values' and workstream_slug = any($1) order by 1`,
        [[ws1.workstreamSlug, ws2.workstreamSlug]],
      );
      expect(rows.rows.map((r) => r.workstream_slug)).toEqual([ws1.workstreamSlug, ws2.workstreamSlug].sort());

      // Configs and results point at a step by (slug, workstream_slug).
      const clientId = await createClient(admin, orgId);
      await admin.query(
        `insert into public.client_workflow_configs (org_id, client_id, workflow_slug, workstream_slug, config) values ($1, $2, 'normalize_all_core_values', $3, '{"a": 1}')`,
        [orgId, clientId, ws1.workstreamSlug],
      );
      await admin.query(
        `insert into public.client_workflow_configs (org_id, client_id, workflow_slug, workstream_slug, config) values ($1, $2, 'normalize_all_core_values', $3, '{"a": 2}')`,
        [orgId, clientId, ws2.workstreamSlug],
      );
      await expectPgError(admin.query(
        `insert into public.client_workflow_configs (org_id, client_id, workflow_slug, workstream_slug) values ($1, $2, 'not_registered', $3)`,
        [orgId, clientId, ws1.workstreamSlug],
      ), '23503', 'client_workflow_configs_workflow_fkey');
    });

    it('accepts the same kebab_name in two workstreams and rejects it twice in one', async () => {
      await createWorkflow(admin, orgId, ws1, { kebabName: 'normalize-all-core-values', createdBy: dev });
      await createWorkflow(admin, orgId, ws2, { kebabName: 'normalize-all-core-values', createdBy: dev });
      await expectPgError(createWorkflow(admin, orgId, ws1, { kebabName: 'normalize-all-core-values', createdBy: dev }), '23505', 'workflows_workstream_kebab_name_key');
      await expectPgError(createWorkflow(admin, orgId, ws1, { kebabName: 'Not_Kebab' }), '23514', 'workflows_kebab_name_check');
    });

    it('keeps a workflow in its project\'s workstream', async () => {
      await expectPgError(admin.query(
        `insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name) values ($1, $2, $3, 'x', 'x')`,
        [orgId, ws1.projectId, ws2.workstreamSlug],
      ), '23503', 'workflows_project_fkey');
    });

    it('refuses to change kebab_name but allows other updates', async () => {
      const id = await createWorkflow(admin, orgId, ws1, { kebabName: `fixed-${uniq()}`, createdBy: dev });
      await expect(admin.query(`update public.workflows set kebab_name = 'renamed' where id = $1`, [id]))
        .rejects.toMatchObject({ code: '23514', message: expect.stringMatching(/kebab_name is immutable/) });
      await admin.query(`update public.workflows set display_name = 'New name', definition_version = definition_version + 1 where id = $1`, [id]);
      const row = await admin.query('select kebab_name, display_name, definition_version from public.workflows where id = $1', [id]);
      expect(row.rows[0]).toMatchObject({ kebab_name: expect.stringMatching(/^fixed-/), display_name: 'New name', definition_version: 2 });
    });

    it('renaming a workstream carries it to every row that holds it', async () => {
      const ws = await createProject(admin, orgId, dev, `rename_me_${uniq()}`);
      const wf = await createWorkflow(admin, orgId, ws, { createdBy: dev });
      const run = await createRun(admin, orgId, ws, wf, dev);
      await admin.query(`insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id) values ($1, 'step_a', $2, 'A', 'sync', $3)`, [orgId, ws.workstreamSlug, wf]);
      const renamed = `renamed_${uniq()}`;
      await admin.query('update public.projects set workstream_slug = $1 where id = $2', [renamed, ws.projectId]);
      const r = await admin.query(
        `select (select workstream_slug from public.workflows where id = $1) as wf,
                (select workstream_slug from public.user_workflow_run where run_id = $2) as run,
                (select workstream_slug from public.enrichment_registry where workflow_id = $1) as reg`,
        [wf, run],
      );
      expect(r.rows[0]).toEqual({ wf: renamed, run: renamed, reg: renamed });
    });

    it('gives every workflow its user_workflows row, kept in sync', async () => {
      const id = await createWorkflow(admin, orgId, ws1, { createdBy: dev });
      const uw = await admin.query('select user_id, name, definition, template_id from public.user_workflows where workflow_id = $1', [id]);
      expect(uw.rows).toEqual([{ user_id: dev.userId, name: expect.stringMatching(/^Workflow wf-/), definition: { nodes: [], edges: [] }, template_id: null }]);
      await admin.query(`update public.workflows set name = 'Renamed', definition = '{"nodes": [{"id": "n1"}], "edges": []}' where id = $1`, [id]);
      const after = await admin.query('select name, definition from public.user_workflows where workflow_id = $1', [id]);
      expect(after.rows[0]).toEqual({ name: 'Renamed', definition: { nodes: [{ id: 'n1' }], edges: [] } });
    });

    it('requires exactly one of template_id and user_workflow_id on workflow_executions', async () => {
      const wf = await createWorkflow(admin, orgId, ws1, { createdBy: dev });
      const uwId = await one<string>(admin, 'select id from public.user_workflows where workflow_id = $1', [wf]);
      const templateId = `tpl-${uniq()}`;
      await admin.query(`insert into public.workflow_templates (id, org_id, name, steps) values ($1, $2, 'T', '[]')`, [templateId, orgId]);
      const insert = (template: string | null, userWorkflow: string | null) => admin.query(
        `insert into public.workflow_executions (org_id, project_id, workstream_slug, workflow_id, template_id, user_workflow_id)
         values ($1, $2, $3, $4, $5, $6)`,
        [orgId, ws1.projectId, ws1.workstreamSlug, userWorkflow ? wf : null, template, userWorkflow],
      );
      await expectPgError(insert(templateId, uwId), '23514', 'workflow_executions_source_check');
      await expectPgError(insert(null, null), '23514', 'workflow_executions_source_check');
      await insert(null, uwId);
      await insert(templateId, null);
    });

    it('exposes runs and steps through the workflow_trace and workflow_steps views', async () => {
      const wf = await createWorkflow(admin, orgId, ws1, { createdBy: dev });
      const runId = await createRun(admin, orgId, ws1, wf, dev);
      await admin.query(`update public.user_workflow_run set status = 'running', context = '{"correlation_id": "xyz789"}' where run_id = $1`, [runId]);
      await admin.query(
        `insert into public.user_workflow_run_step (org_id, run_id, node_id, node_kind, step_number, status, events)
         values ($1, $2, 'http-1', 'activity', 1, 'succeeded', '[{"type": "completed"}]'), ($1, $2, 'branch_approve', 'branch', 2, 'running', '[]')`,
        [orgId, runId],
      );
      const trace = await admin.query('select trace_id, workflow_id, org_id, status, channel, context from public.workflow_trace where trace_id = $1', [runId]);
      expect(trace.rows).toEqual([{ trace_id: runId, workflow_id: wf, org_id: orgId, status: 'running', channel: 'web', context: { correlation_id: 'xyz789' } }]);
      const steps = await admin.query('select trace_id, node_id, step_number, status, events from public.workflow_steps where trace_id = $1 order by step_number', [runId]);
      expect(steps.rows).toEqual([
        { trace_id: runId, node_id: 'http-1', step_number: 1, status: 'succeeded', events: [{ type: 'completed' }] },
        { trace_id: runId, node_id: 'branch_approve', step_number: 2, status: 'running', events: [] },
      ]);
      await expectPgError(admin.query(
        `insert into public.user_workflow_run_step (org_id, run_id, node_id, step_number) values ($1, $2, 'dup', 1)`, [orgId, runId],
      ), '23505');
    });

    it('updates updated_at on update', async () => {
      const wf = await createWorkflow(admin, orgId, ws1, { createdBy: dev });
      const runId = await createRun(admin, orgId, ws1, wf, dev);
      const clientId = await createClient(admin, orgId);
      const templateId = `tpl-${uniq()}`;
      await admin.query(`insert into public.workflow_templates (id, org_id, name) values ($1, $2, 'T')`, [templateId, orgId]);
      const cases: Array<[string, string, string, string]> = [
        ['projects', 'id', ws1.projectId, `description = 'x'`],
        ['workflows', 'id', wf, `description = 'x'`],
        ['user_workflows', 'workflow_id', wf, 'is_favorite = true'],
        ['user_workflow_run', 'run_id', runId, `status = 'running'`],
        ['clients', 'id', clientId, `external_ref = 'x'`],
        ['workflow_templates', 'id', templateId, 'usage_count = 1'],
      ];
      for (const [table, key, id, set] of cases) {
        await admin.query(`update public.${table} set updated_at = '2000-01-01' where ${key} = $1`, [id]);
        await admin.query(`update public.${table} set ${set} where ${key} = $1`, [id]);
        const r = await admin.query(`select updated_at > now() - interval '1 minute' as fresh from public.${table} where ${key} = $1`, [id]);
        expect(r.rows[0], table).toEqual({ fresh: true });
      }
    });

    it('keeps at most one active compiled version per workflow', async () => {
      const wf = await createWorkflow(admin, orgId, ws1, { createdBy: dev });
      const insert = (version: number, active: boolean) => admin.query(
        `insert into public.workflow_compiled_code (org_id, workflow_id, version, content_hash, workflow_code, is_active) values ($1, $2, $3, 'h', 'code', $4)`,
        [orgId, wf, version, active],
      );
      await insert(1, true);
      await insert(2, false);
      await expectPgError(insert(3, true), '23505', 'workflow_compiled_code_one_active_key');
      await expectPgError(insert(2, false), '23505');
    });

    it('keeps one org-wide statistics row per component (workflow_id null)', async () => {
      const componentId = await one<string>(admin,
        `insert into public.components (name, component_type_id, visibility_id) select 'builtin-' || gen_random_uuid(), id, app.visibility_id('public') from public.component_types where name = 'activity' returning id`);
      const insert = () => admin.query('insert into public.activity_statistics (org_id, component_id, workflow_id) values ($1, $2, null)', [orgId, componentId]);
      await insert();
      await expectPgError(insert(), '23505', 'activity_statistics_component_workflow_key');
    });

    it('requires built-in catalog rows (no organisation) to be public', async () => {
      await expectPgError(admin.query(
        `insert into public.components (name, component_type_id, visibility_id) select 'x', id, app.visibility_id('private') from public.component_types where name = 'agent'`,
      ), '23514', 'components_builtin_public_check');
      await expectPgError(admin.query(
        `insert into public.workflow_templates (id, name, visibility_id) values ($1, 'x', app.visibility_id('organization'))`, [`t-${uniq()}`],
      ), '23514', 'workflow_templates_builtin_public_check');
    });
  });

  describe('row-level security', () => {
    let devA: TestUser;
    let viewerA: TestUser;
    let devB: TestUser;
    let devB2: TestUser;
    let outsider: TestUser;
    let a: TenantFixture;
    let b: TenantFixture;
    const components: Record<string, string> = {};

    beforeAll(async () => {
      devA = await createUser(admin, 'dev-a');
      viewerA = await createUser(admin, 'viewer-a');
      devB = await createUser(admin, 'dev-b');
      devB2 = await createUser(admin, 'dev-b2');
      outsider = await createUser(admin, 'outsider');
      a = await createTenant(admin, 'Org A', devA);
      b = await createTenant(admin, 'Org B', devB);
      await addMember(admin, a.orgId, viewerA, 'viewer');
      await addMember(admin, b.orgId, devB2, 'developer');
      const addComponent = async (label: string, org: string | null, visibility: string, createdBy: TestUser | null) => {
        components[label] = await one<string>(admin,
          `insert into public.components (org_id, name, component_type_id, visibility_id, created_by)
           select $1, $2, id, app.visibility_id($3), $4 from public.component_types where name = 'activity' returning id`,
          [org, `${label}-${uniq()}`, visibility, createdBy?.userId ?? null]);
      };
      await addComponent('builtin', null, 'public', null);
      await addComponent('bPublic', b.orgId, 'public', devB);
      await addComponent('bOrganization', b.orgId, 'organization', devB);
      await addComponent('bPrivate', b.orgId, 'private', devB);
      await addComponent('aOrganization', a.orgId, 'organization', devA);
    });

    const TABLES_WITH_KEYS: Array<[string, string, (t: TenantFixture) => string]> = [
      ['projects', 'id', (t) => t.project.projectId],
      ['workflows', 'id', (t) => t.workflowId],
      ['user_workflows', 'workflow_id', (t) => t.workflowId],
      ['user_workflow_run', 'run_id', (t) => t.runId],
      ['workflow_trace', 'trace_id', (t) => t.runId],
      ['clients', 'id', (t) => t.clientId],
      ['batches', 'id', (t) => t.batchId],
      ['task_queues', 'name', (t) => t.project.taskQueueName],
    ];

    it("shows a developer only their organisation's rows, with no where clause", async () => {
      await asCaller(tdb.api, devA, a.orgId, async (c) => {
        for (const [table, key, idOf] of TABLES_WITH_KEYS) {
          const rows = (await c.query(`select * from public.${table}`)).rows;
          expect(rows.length, table).toBeGreaterThan(0);
          expect(rows.map((r) => r.org_id).filter((o) => o !== a.orgId), table).toEqual([]);
          const keys = rows.map((r) => r[key]);
          expect(keys, table).toContain(idOf(a));
          expect(keys, table).not.toContain(idOf(b));
        }
      });
      // And the other way round.
      await asCaller(tdb.api, devB, b.orgId, async (c) => {
        const runs = (await c.query('select run_id, org_id from public.user_workflow_run')).rows;
        expect(runs.map((r) => r.run_id)).toContain(b.runId);
        expect(runs.every((r) => r.org_id === b.orgId)).toBe(true);
      });
    });

    it('lets a developer write in their organisation only', async () => {
      await asCaller(tdb.api, devA, a.orgId, async (c) => {
        await c.query('insert into public.clients (org_id, name) values ($1, $2)', [a.orgId, `new-${uniq()}`]);
        await c.query('savepoint s');
        await expect(c.query('insert into public.clients (org_id, name) values ($1, $2)', [b.orgId, `new-${uniq()}`]))
          .rejects.toMatchObject({ code: '42501' });
        await c.query('rollback to savepoint s');
        const updated = await c.query(`update public.batches set status = 'CANCELLED' where id = $1`, [b.batchId]);
        expect(updated.rowCount).toBe(0);
        // The user_workflows trigger runs as the caller, under the same policies.
        const wf = await createWorkflow(c, a.orgId, a.project, { createdBy: devA });
        const uw = await c.query('select org_id, user_id from public.user_workflows where workflow_id = $1', [wf]);
        expect(uw.rows).toEqual([{ org_id: a.orgId, user_id: devA.userId }]);
      });
      const status = await one<string>(admin, 'select status from public.batches where id = $1', [b.batchId]);
      expect(status).toBe('PENDING');
    });

    it('rejects rows pointing at another organisation\'s parent, though the policy passes', async () => {
      await asCaller(tdb.api, devA, a.orgId, async (c) => {
        await expect(c.query(
          `insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name) values ($1, $2, $3, 'x', 'x')`,
          [a.orgId, b.project.projectId, b.project.workstreamSlug],
        )).rejects.toMatchObject({ code: '23503' });
      });
      await asCaller(tdb.api, devA, a.orgId, async (c) => {
        await expect(c.query(
          `insert into public.batch_items (org_id, batch_id, position) values ($1, $2, 0)`, [a.orgId, b.batchId],
        )).rejects.toMatchObject({ code: '23503' });
      });
    });

    it('lets a viewer read but not write', async () => {
      await asCaller(tdb.api, viewerA, a.orgId, async (c) => {
        const projects = (await c.query('select id from public.projects')).rows.map((r) => r.id);
        expect(projects).toContain(a.project.projectId);
        const runs = (await c.query('select run_id from public.user_workflow_run')).rows.map((r) => r.run_id);
        expect(runs).toContain(a.runId);
        const updated = await c.query(`update public.projects set description = 'viewer was here' where id = $1`, [a.project.projectId]);
        expect(updated.rowCount).toBe(0);
        const deleted = await c.query('delete from public.clients where id = $1', [a.clientId]);
        expect(deleted.rowCount).toBe(0);
        await expect(c.query('insert into public.clients (org_id, name) values ($1, $2)', [a.orgId, `viewer-${uniq()}`]))
          .rejects.toMatchObject({ code: '42501' });
      });
      const description = await one<string | null>(admin, 'select description from public.projects where id = $1', [a.project.projectId]);
      expect(description).toBeNull();
    });

    it('shows nothing to a user who is not a member of the organisation in the claims', async () => {
      await asCaller(tdb.api, outsider, a.orgId, async (c) => {
        for (const [table] of TABLES_WITH_KEYS) {
          const rows = (await c.query(`select * from public.${table}`)).rows;
          expect(rows, table).toEqual([]);
        }
        await expect(c.query('insert into public.clients (org_id, name) values ($1, $2)', [a.orgId, `outsider-${uniq()}`]))
          .rejects.toMatchObject({ code: '42501' });
      });
      // Nor to a member of B claiming A.
      await asCaller(tdb.api, devB, a.orgId, async (c) => {
        expect((await c.query('select * from public.projects')).rows).toEqual([]);
      });
    });

    it('shows public components across organisations but not organisation or private ones', async () => {
      const visible = (user: TestUser, org: string) => asCaller(tdb.api, user, org, async (c) =>
        (await c.query('select id from public.components')).rows.map((r) => r.id as string));
      const seenByA = await visible(devA, a.orgId);
      expect(seenByA).toEqual(expect.arrayContaining([components.builtin, components.bPublic, components.aOrganization]));
      expect(seenByA).not.toContain(components.bOrganization);
      expect(seenByA).not.toContain(components.bPrivate);

      const seenByCreator = await visible(devB, b.orgId);
      expect(seenByCreator).toEqual(expect.arrayContaining([components.bPublic, components.bOrganization, components.bPrivate]));
      expect(seenByCreator).not.toContain(components.aOrganization);

      // Private means its creator only, even inside its organisation; and not writable by colleagues.
      const seenByColleague = await visible(devB2, b.orgId);
      expect(seenByColleague).toEqual(expect.arrayContaining([components.bPublic, components.bOrganization]));
      expect(seenByColleague).not.toContain(components.bPrivate);
      // An update with no where clause is not filtered by the read policy: the update
      // policy itself must keep colleagues away from a private row.
      await asCaller(tdb.api, devB2, b.orgId, async (c) => {
        await c.query(`update public.components set description = 'touched by a colleague'`);
      }, { commit: true });
      const descriptions = await admin.query('select id, description from public.components where id = any($1)', [[components.bPrivate, components.bOrganization, components.builtin]]);
      const description = new Map(descriptions.rows.map((r) => [r.id, r.description]));
      expect(description.get(components.bOrganization)).toBe('touched by a colleague');
      expect(description.get(components.bPrivate)).toBeNull();
      expect(description.get(components.builtin)).toBeNull();
    });

    it('applies visibility to workflows too', async () => {
      const privateWf = await createWorkflow(admin, b.orgId, b.project, { createdBy: devB, visibility: 'private' });
      const publicWf = await createWorkflow(admin, b.orgId, b.project, { createdBy: devB, visibility: 'public' });
      const ids = (user: TestUser, org: string) => asCaller(tdb.api, user, org, async (c) =>
        (await c.query('select id from public.workflows')).rows.map((r) => r.id as string));
      expect(await ids(devB, b.orgId)).toEqual(expect.arrayContaining([privateWf, publicWf, b.workflowId]));
      const colleague = await ids(devB2, b.orgId);
      expect(colleague).toContain(publicWf);
      expect(colleague).not.toContain(privateWf);
      const other = await ids(devA, a.orgId);
      expect(other).toContain(publicWf);
      expect(other).not.toContain(privateWf);
      expect(other).not.toContain(b.workflowId);
    });

    it('lets the API write secrets but never read a ciphertext back', async () => {
      await asCaller(tdb.api, devA, a.orgId, async (c) => {
        await c.query(
          `insert into public.project_secrets (org_id, project_id, name, ciphertext) values ($1, $2, 'OPENAI_API_KEY', 'v1.iv.ct')
           on conflict (project_id, name) do update set ciphertext = 'v1.iv.ct'`,
          [a.orgId, a.project.projectId],
        );
        const names = await c.query('select name from public.project_secrets');
        expect(names.rows).toEqual([{ name: 'OPENAI_API_KEY' }]);
        await c.query('savepoint s');
        await expect(c.query('select ciphertext from public.project_secrets')).rejects.toMatchObject({ code: '42501' });
        await c.query('rollback to savepoint s');
      }, { commit: true });
      await asCaller(tdb.api, viewerA, a.orgId, async (c) => {
        expect((await c.query('select name from public.project_secrets')).rows).toEqual([]);
      });
      expect(await one<string>(admin, 'select ciphertext from public.project_secrets where project_id = $1', [a.project.projectId])).toBe('v1.iv.ct');
    });

    it('lets the worker (service_role) see every organisation', async () => {
      const ids = await withPg(tdb.worker, async (c) => {
        await c.query('set role service_role');
        return (await c.query('select run_id from public.user_workflow_run')).rows.map((r) => r.run_id);
      });
      expect(ids).toEqual(expect.arrayContaining([a.runId, b.runId]));
    });
  });
});
