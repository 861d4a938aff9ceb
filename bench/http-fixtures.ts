/**
 * Fixtures of the HTTP and browser benchmarks: users signed up through the API, projects and
 * workflows created through the API, generated valid definitions laid out on a 2-D grid, and
 * bulk-loaded runs (`insert ... select from generate_series`, as the owner).
 */
import { validateWorkflow, type WorkflowDefinition, type WorkflowEdge, type WorkflowNode } from '@workflow-builder/definition';
import { withClient } from '@workflow-builder/devstack';

export interface Account {
  email: string;
  password: string;
  /** `wb_session=<token>` */
  cookie: string;
  token: string;
  orgId: string;
  userId: string;
}

export async function call<T = unknown>(apiUrl: string, cookie: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}${url}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

export async function ok<T = unknown>(apiUrl: string, cookie: string, method: string, url: string, body?: unknown): Promise<T> {
  const r = await call<T>(apiUrl, cookie, method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
  return r.body;
}

/** Signs up through the API (a user and their organisation) and keeps the session cookie. */
export async function signUp(apiUrl: string, label: string): Promise<Account> {
  const email = `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;
  const password = 'correct horse battery staple';
  const res = await fetch(`${apiUrl}/v1/auth/sign-up`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: label, organisationName: `Org ${label}` }),
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('wb_session='));
  if (!setCookie) throw new Error('sign-up set no wb_session cookie');
  const token = setCookie.split(';')[0]!.slice('wb_session='.length);
  const body = await res.json() as { user: { id: string }; organization: { id: string } };
  return { email, password, cookie: `wb_session=${token}`, token, orgId: body.organization.id, userId: body.user.id };
}

export async function createProject(apiUrl: string, a: Account, name: string): Promise<string> {
  const p = await ok<{ id: string }>(apiUrl, a.cookie, 'POST', `/v1/orgs/${a.orgId}/projects`, { name });
  return p.id;
}

export interface CreatedWorkflow { id: string; definitionVersion: number }

export async function createWorkflow(apiUrl: string, a: Account, projectId: string, name: string, definition: WorkflowDefinition): Promise<CreatedWorkflow> {
  const w = await ok<{ id: string; definitionVersion: number; nodeCount: number }>(apiUrl, a.cookie, 'POST', `/v1/orgs/${a.orgId}/workflows`, { projectId, name, definition });
  if (w.nodeCount !== definition.nodes.length) throw new Error(`created ${w.nodeCount} nodes, sent ${definition.nodes.length}`);
  return { id: w.id, definitionVersion: w.definitionVersion };
}

// ---------------------------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------------------------

const COL_W = 280;
const ROW_H = 110;
const BAND_H = 3 * ROW_H + 60;

type Segment = 'http' | 'transform' | 'if' | 'parallel';
/** Nodes and columns each segment takes. */
const SIZE: Record<Segment, { nodes: number; cols: number }> = {
  http: { nodes: 1, cols: 1 },
  transform: { nodes: 1, cols: 1 },
  if: { nodes: 4, cols: 3 },
  parallel: { nodes: 5, cols: 3 },
};
const CYCLE: Segment[] = ['http', 'transform', 'if', 'transform', 'parallel', 'http', 'transform'];

/**
 * A valid definition of exactly `total` nodes: trigger → a long chain of `http.request` and
 * `transform` steps with if/else and 3-branch parallel/join regions → `output.end`. The chain runs
 * left to right and wraps into bands so the whole graph is about square (what fitView shows).
 * Every node has a label and a config as a user would fill it in.
 */
export function gridDefinition(total: number): WorkflowDefinition {
  if (total < 3) throw new Error('at least 3 nodes');
  // Plan the segments first so the band width can make the layout square.
  const segments: Segment[] = [];
  let remaining = total - 2;
  for (let i = 0; remaining > 0; i++) {
    let seg = CYCLE[i % CYCLE.length]!;
    if (SIZE[seg].nodes > remaining) seg = 'transform';
    segments.push(seg);
    remaining -= SIZE[seg].nodes;
  }
  const columns = 2 + segments.reduce((n, s) => n + SIZE[s].cols, 0);
  const bandCols = Math.max(4, Math.round(Math.sqrt((columns * BAND_H) / COL_W)));

  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  let col = 0;
  const at = (c: number, row: -1 | 0 | 1) => ({
    x: (c % bandCols) * COL_W,
    y: Math.floor(c / bandCols) * BAND_H + (row + 1) * ROW_H,
  });
  const node = (id: string, kind: string, label: string, config: Record<string, unknown>, c: number, row: -1 | 0 | 1 = 0) => {
    nodes.push({ id, kind, label, config, position: at(c, row) });
    return id;
  };
  const edge = (source: string, target: string, sourceHandle?: string) => {
    edges.push({ id: `e${edges.length + 1}`, source, target, ...(sourceHandle === undefined ? {} : { sourceHandle }) });
  };
  // A branch region whose last column wraps must not straddle two bands: start it on the next band.
  const fit = (cols: number) => { if ((col % bandCols) + cols > bandCols) col += bandCols - (col % bandCols); };

  let prev = node('start', 'trigger.manual', 'Start', {}, col++);
  segments.forEach((seg, n) => {
    switch (seg) {
      case 'http': {
        const id = node(`get_${n}`, 'http.request', `Fetch item ${n}`, {
          url: 'https://api.example.com/items/{{ input.id }}', method: 'GET', headers: { 'X-Step': `${n}` },
        }, col++);
        edge(prev, id);
        prev = id;
        break;
      }
      case 'transform': {
        const id = node(`map_${n}`, 'transform', `Map ${n}`, { mapping: { n: `${n}`, id: '{{ input.id }}', flag: '{{ input.flag }}' } }, col++);
        edge(prev, id);
        prev = id;
        break;
      }
      case 'if': {
        fit(3);
        const c = node(`if_${n}`, 'branch.if', `Check ${n}`, { condition: '{{ input.flag = true }}' }, col++);
        edge(prev, c);
        const t = node(`yes_${n}`, 'transform', `Yes ${n}`, { mapping: { branch: 'yes', id: '{{ input.id }}' } }, col, -1);
        const f = node(`no_${n}`, 'transform', `No ${n}`, { mapping: { branch: 'no' } }, col++, 1);
        const m = node(`merge_${n}`, 'transform', `Merge ${n}`, { mapping: { merged: 'true' } }, col++);
        edge(c, t, 'true');
        edge(c, f, 'false');
        edge(t, m);
        edge(f, m);
        prev = m;
        break;
      }
      case 'parallel': {
        fit(3);
        const p = node(`fork_${n}`, 'flow.parallel', `Fork ${n}`, {}, col++);
        edge(prev, p);
        const branches = [
          node(`pa_${n}`, 'http.request', `Branch A ${n}`, { url: 'https://api.example.com/a/{{ input.id }}' }, col, -1),
          node(`pb_${n}`, 'transform', `Branch B ${n}`, { mapping: { id: '{{ input.id }}' } }, col, 0),
          node(`pc_${n}`, 'http.request', `Branch C ${n}`, { url: 'https://api.example.com/c', method: 'POST', body: '{{ input }}' }, col++, 1),
        ];
        const j = node(`join_${n}`, 'flow.join', `Join ${n}`, {}, col++);
        for (const b of branches) { edge(p, b, 'out'); edge(b, j); }
        prev = j;
        break;
      }
    }
  });
  const end = node('done', 'output.end', 'Done', { output: { ok: 'true' } }, col++);
  edge(prev, end);
  const definition: WorkflowDefinition = {
    schemaVersion: 1,
    inputSchema: { type: 'object', properties: { id: { type: 'integer' }, flag: { type: 'boolean' } } },
    nodes,
    edges,
  };
  if (nodes.length !== total) throw new Error(`generated ${nodes.length} nodes, wanted ${total}`);
  const problems = validateWorkflow(definition, { knownWorkflowSlugs: [] });
  if (problems.length > 0) throw new Error(`generated definition is invalid: ${JSON.stringify(problems.slice(0, 5))}`);
  return definition;
}

/** The definition with one node moved by `dx` (a save that changes something, as an editor's does). */
export function moved(definition: WorkflowDefinition, dx: number): WorkflowDefinition {
  const [first, ...rest] = definition.nodes;
  return { ...definition, nodes: [{ ...first!, position: { x: first!.position.x + dx, y: first!.position.y } }, ...rest] };
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

export interface RunSeed {
  total: number;
  /** Share of the rows in the caller's organisation. */
  callerShare: number;
  /** How many other organisations share the rest. */
  otherOrgs: number;
  workflowsPerOrg: number;
}

export interface SeededRuns {
  rows: number;
  callerRows: number;
  orgs: number;
  seconds: number;
  tableSize: string;
  indexesSize: string;
  /** A workflow of the caller's org with runs, for the workflowId filter. */
  callerWorkflowId: string;
  /** A context value present in about 1 in 1,000 of the caller's runs. */
  contextFilter: string;
}

/**
 * Loads `total` user_workflow_run rows as the owner, spread over the caller's organisation and
 * `otherOrgs` others (each with its own user, project and workflows, so foreign keys hold), newest
 * rows mixed across organisations, then ANALYZE. Statuses, channels, context labels and timings
 * vary the way real runs do (mostly completed, 10% failed; none open).
 */
export async function seedRuns(adminUrl: string, caller: Account, callerProjectId: string, seed: RunSeed): Promise<SeededRuns> {
  const started = Date.now();
  return withClient(adminUrl, async (c) => {
    await c.query('set synchronous_commit = off');
    // The caller's workflows (small drafts) that runs point to.
    const callerWorkflows: string[] = [];
    const project = (await c.query<{ workstream_slug: string }>('select workstream_slug from public.projects where id = $1', [callerProjectId])).rows[0]!;
    for (let i = 0; i < seed.workflowsPerOrg; i++) {
      const r = await c.query<{ id: string }>(
        `insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, visibility_id, definition)
         values ($1, $2, $3, $4, $5, $6, app.visibility_id('organization'), '{"schemaVersion":1,"nodes":[],"edges":[]}') returning id`,
        [caller.orgId, callerProjectId, project.workstream_slug, `Runs target ${i}`, `runs-target-${i}`, caller.userId]);
      callerWorkflows.push(r.rows[0]!.id);
    }
    // Other organisations, each with a user, a project and workflows.
    interface Tenant { orgId: string; userId: string; projectId: string; slug: string; workflows: string[] }
    const tenants: Tenant[] = [{ orgId: caller.orgId, userId: caller.userId, projectId: callerProjectId, slug: project.workstream_slug, workflows: callerWorkflows }];
    for (let o = 0; o < seed.otherOrgs; o++) {
      const authId = (await c.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [`other-${o}-${started}@example.test`])).rows[0]!.id;
      const userId = (await c.query<{ id: string }>('insert into public.users (auth_user_id, email, display_name) values ($1, $2, $3) returning id', [authId, `other-${o}-${started}@example.test`, `Other ${o}`])).rows[0]!.id;
      const orgId = (await c.query<{ id: string }>('insert into public.organizations (name, slug) values ($1, $2) returning id', [`Other ${o}`, `other-${o}-${started}`])).rows[0]!.id;
      await c.query("insert into public.organization_members (org_id, user_id, role_id) select $1, $2, id from public.user_roles where name = 'developer'", [orgId, userId]);
      const projectId = (await c.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
      const queue = `${userId}-${projectId}`;
      const slug = `ws_other_${o}`;
      await c.query('insert into public.task_queues (org_id, name, is_system_queue) values ($1, $2, true)', [orgId, queue]);
      await c.query('insert into public.projects (id, org_id, name, created_by, task_queue_name, workstream_slug) values ($1, $2, $3, $4, $5, $6)', [projectId, orgId, `Other project ${o}`, userId, queue, slug]);
      const workflows: string[] = [];
      for (let i = 0; i < seed.workflowsPerOrg; i++) {
        const r = await c.query<{ id: string }>(
          `insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, visibility_id, definition)
           values ($1, $2, $3, $4, $5, $6, app.visibility_id('organization'), '{"schemaVersion":1,"nodes":[],"edges":[]}') returning id`,
          [orgId, projectId, slug, `Other workflow ${i}`, `other-wf-${i}`, userId]);
        workflows.push(r.rows[0]!.id);
      }
      tenants.push({ orgId, userId, projectId, slug, workflows });
    }
    // One temp table of tenants × workflows, numbered, for the generator to pick from.
    await c.query('create temp table bench_tenant (t int, org_id uuid, user_id uuid, project_id uuid, slug text, workflows uuid[])');
    for (const [t, x] of tenants.entries()) {
      await c.query('insert into bench_tenant values ($1, $2, $3, $4, $5, $6)', [t, x.orgId, x.userId, x.projectId, x.slug, x.workflows]);
    }
    // Row i goes to the caller's org when (i % 1000) < callerShare * 1000, else to another org in turn.
    const callerPerMille = Math.round(seed.callerShare * 1000);
    const others = seed.otherOrgs;
    await c.query(`
      insert into public.user_workflow_run
        (org_id, project_id, workflow_id, workstream_slug, status, channel, temporal_workflow_id, temporal_run_id, compiled_version,
         request_id, input, output, started_at, ended_at, duration_ms, context, created_at, created_by, updated_at)
      select t.org_id, t.project_id, t.workflows[1 + (g.i / 7) % array_length(t.workflows, 1)], t.slug,
             -- Closed runs only: open ones (pending/running) are polled by the worker's reconciler,
             -- which would close these (their Temporal ids are made up) while we measure.
             (array['completed','completed','completed','completed','completed','completed','failed','completed','cancelled','timed_out'])[1 + g.i % 10],
             (array['web','api','webhook','schedule'])[1 + g.i % 4],
             'wf-' || g.i, md5(g.i::text), 1, 'req-' || g.i,
             jsonb_build_object('id', g.i, 'flag', g.i % 2 = 0),
             jsonb_build_object('ok', true, 'items', g.i % 17),
             ts, ts + make_interval(secs => (g.i % 300) / 10.0), (g.i % 300) * 100,
             jsonb_build_object('customer', 'c' || (g.i % 997), 'env', (array['prod','staging'])[1 + g.i % 2]),
             ts, t.user_id, ts
      from (select i, now() - make_interval(secs => i * 2) as ts from generate_series(1, $1::int) as s(i)) g
      join bench_tenant t on t.t = case when g.i % 1000 < $2::int then 0 else 1 + (g.i / 1000 + g.i) % $3::int end`,
    [seed.total, callerPerMille, others]);
    await c.query('analyze public.user_workflow_run');
    await c.query('analyze public.workflows');
    const counts = (await c.query<{ rows: string; caller: string; table: string; indexes: string }>(
      `select count(*) as rows, count(*) filter (where org_id = $1) as caller,
              pg_size_pretty(pg_table_size('public.user_workflow_run')) as table,
              pg_size_pretty(pg_indexes_size('public.user_workflow_run')) as indexes
       from public.user_workflow_run`, [caller.orgId])).rows[0]!;
    return {
      rows: Number(counts.rows), callerRows: Number(counts.caller), orgs: tenants.length,
      seconds: (Date.now() - started) / 1000, tableSize: counts.table, indexesSize: counts.indexes,
      callerWorkflowId: callerWorkflows[0]!,
      contextFilter: JSON.stringify({ customer: 'c42' }),
    };
  });
}
