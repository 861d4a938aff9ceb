/**
 * Fixture builders for database tests: organisations, users (auth.users + public.users),
 * memberships, and a way to run SQL as an API caller under row-level security.
 *
 * Builders take an owner connection (the `admin` URL of a test database), which bypasses
 * row-level security, and generate unique slugs so several fixtures can share a database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type OrgRole = 'admin' | 'developer' | 'viewer';

export interface TestUser {
  /** public.users.id: what created_by columns reference. */
  userId: string;
  /** auth.users.id: the JWT `sub`. */
  authUserId: string;
  email: string;
}

export interface TestProject {
  projectId: string;
  workstreamSlug: string;
  taskQueueName: string;
}

/** A short random suffix for unique names and slugs. */
export const uniq = (): string => randomBytes(4).toString('hex');

/** Runs `fn` with a short-lived client on `url`. */
export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** One value of the first row of `text`. */
export async function one<T = unknown>(c: pg.ClientBase, text: string, values: unknown[] = []): Promise<T> {
  const r = await c.query(text, values);
  const row = r.rows[0] as Record<string, unknown> | undefined;
  if (!row) throw new Error(`no row: ${text}`);
  return Object.values(row)[0] as T;
}

/** A signed-up user: an auth.users row and its public.users profile. */
export async function createUser(c: pg.ClientBase, name = 'user'): Promise<TestUser> {
  const email = `${name}-${uniq()}@example.test`;
  const authUserId = await one<string>(c, 'insert into auth.users (email) values ($1) returning id', [email]);
  const userId = await one<string>(c, 'insert into public.users (auth_user_id, email, display_name) values ($1, $2, $3) returning id', [authUserId, email, name]);
  return { userId, authUserId, email };
}

export async function createOrg(c: pg.ClientBase, name = 'org'): Promise<string> {
  return one<string>(c, 'insert into public.organizations (name, slug) values ($1, $2) returning id', [name, `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}-${uniq()}`]);
}

export async function addMember(c: pg.ClientBase, orgId: string, user: TestUser, role: OrgRole): Promise<void> {
  await c.query(
    'insert into public.organization_members (org_id, user_id, role_id) select $1, $2, id from public.user_roles where name = $3',
    [orgId, user.userId, role],
  );
}

/** A project (= workstream) with its task queue, named `<user_id>-<project_id>` as the API does. */
export async function createProject(c: pg.ClientBase, orgId: string, createdBy: TestUser | null, workstreamSlug = `ws_${uniq()}`): Promise<TestProject> {
  const projectId = await one<string>(c, 'select gen_random_uuid()');
  const taskQueueName = `${createdBy?.userId ?? 'system'}-${projectId}`;
  await c.query('insert into public.task_queues (org_id, name, is_system_queue) values ($1, $2, true)', [orgId, taskQueueName]);
  await c.query(
    'insert into public.projects (id, org_id, name, created_by, task_queue_name, workstream_slug) values ($1, $2, $3, $4, $5, $6)',
    [projectId, orgId, `Project ${workstreamSlug}`, createdBy?.userId ?? null, taskQueueName, workstreamSlug],
  );
  return { projectId, workstreamSlug, taskQueueName };
}

export async function createWorkflow(
  c: pg.ClientBase,
  orgId: string,
  project: TestProject,
  opts: { kebabName?: string; createdBy?: TestUser | null; visibility?: 'public' | 'organization' | 'private' } = {},
): Promise<string> {
  const kebabName = opts.kebabName ?? `wf-${uniq()}`;
  return one<string>(
    c,
    `insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, visibility_id, definition)
     values ($1, $2, $3, $4, $5, $6, app.visibility_id($7), '{"nodes": [], "edges": []}') returning id`,
    [orgId, project.projectId, project.workstreamSlug, `Workflow ${kebabName}`, kebabName, opts.createdBy?.userId ?? null, opts.visibility ?? 'organization'],
  );
}

export async function createRun(c: pg.ClientBase, orgId: string, project: TestProject, workflowId: string, createdBy: TestUser): Promise<string> {
  return one<string>(
    c,
    `insert into public.user_workflow_run (org_id, project_id, workflow_id, workstream_slug, channel, created_by)
     values ($1, $2, $3, $4, 'web', $5) returning run_id`,
    [orgId, project.projectId, workflowId, project.workstreamSlug, createdBy.userId],
  );
}

export async function createClient(c: pg.ClientBase, orgId: string, name = `Client ${uniq()}`): Promise<string> {
  return one<string>(c, 'insert into public.clients (org_id, name) values ($1, $2) returning id', [orgId, name]);
}

export async function createBatch(c: pg.ClientBase, orgId: string, clientId: string, project: TestProject, createdBy: TestUser | null = null): Promise<string> {
  return one<string>(
    c,
    `insert into public.batches (org_id, client_id, workstream_slug, blueprint, created_by)
     values ($1, $2, $3, '{normalize_all_core_values}', $4) returning id`,
    [orgId, clientId, project.workstreamSlug, createdBy?.userId ?? null],
  );
}

/** An organisation with a project, a workflow, a run, a client and a batch. */
export interface TenantFixture {
  orgId: string;
  project: TestProject;
  workflowId: string;
  runId: string;
  clientId: string;
  batchId: string;
}

export async function createTenant(c: pg.ClientBase, name: string, developer: TestUser): Promise<TenantFixture> {
  const orgId = await createOrg(c, name);
  await addMember(c, orgId, developer, 'developer');
  const project = await createProject(c, orgId, developer);
  const workflowId = await createWorkflow(c, orgId, project, { createdBy: developer });
  const runId = await createRun(c, orgId, project, workflowId, developer);
  const clientId = await createClient(c, orgId);
  const batchId = await createBatch(c, orgId, clientId, project, developer);
  return { orgId, project, workflowId, runId, clientId, batchId };
}

/** The JWT claims the API sets for a caller acting in `orgId`. */
export function claimsFor(user: TestUser, orgId: string | null): string {
  return JSON.stringify({ sub: user.authUserId, org_id: orgId, role: 'authenticated' });
}

/**
 * Runs `fn` in one transaction on the API's connection (`api` URL) as `user` acting in
 * `orgId`: `set local role authenticated` and the request's JWT claims, as the API does.
 * Rolled back afterwards unless `commit` is set.
 */
export async function asCaller<T>(
  apiUrl: string,
  user: TestUser,
  orgId: string | null,
  fn: (c: pg.Client) => Promise<T>,
  opts: { commit?: boolean } = {},
): Promise<T> {
  return withPg(apiUrl, async (c) => {
    await c.query('begin');
    try {
      await c.query('set local role authenticated');
      await c.query("select set_config('request.jwt.claims', $1, true)", [claimsFor(user, orgId)]);
      const result = await fn(c);
      await c.query(opts.commit ? 'commit' : 'rollback');
      return result;
    } catch (e) {
      await c.query('rollback').catch(() => {});
      throw e;
    }
  });
}
