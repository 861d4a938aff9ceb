/**
 * Test helpers: an app over a fresh migrated database, and API-level fixtures (users signed up
 * through the API, organisations, members, projects, workflows) with their cookies.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import pg from 'pg';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@workflow-builder/devstack';
import { linearDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import { buildApp, type BuildOptions } from '../app.ts';
import { readEnv } from '../env.ts';

export interface TestApp {
  app: FastifyInstance;
  tdb: TestDatabase;
  close(): Promise<void>;
}

/** Environment for a test app on `tdb`; rate limits are lifted unless overridden. */
export function testEnv(tdb: TestDatabase, overrides: Record<string, string> = {}) {
  return readEnv({
    DATABASE_URL: tdb.api,
    TEMPORAL_ADDRESS: process.env.WB_TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.WB_TEST_TEMPORAL_NAMESPACE,
    WB_RATE_LIMIT_MAX: '100000',
    WB_AUTH_RATE_LIMIT_PER_IP: '100000',
    WB_SIGN_IN_RATE_LIMIT_PER_EMAIL: '100000',
    WB_WEBHOOK_RATE_LIMIT_PER_IP: '100000',
    WB_WEBHOOK_RATE_LIMIT_PER_TOKEN: '100000',
    ...overrides,
  });
}

/** A fresh database (cloned from the migrated template) and an app on it. */
export async function createTestApp(label: string, overrides: Record<string, string> = {}, opts: BuildOptions = {}): Promise<TestApp> {
  const tdb = await createTestDatabase(label);
  const app = await buildApp(testEnv(tdb, overrides), { logger: false, ...opts });
  return {
    app,
    tdb,
    close: async () => {
      await app.close();
      await tdb.drop();
    },
  };
}

/** Runs `fn` with an owner connection (bypasses RLS) to check what the API left in the database. */
export async function withAdmin<T>(tdb: TestDatabase, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: tdb.admin });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const uniq = (): string => randomBytes(4).toString('hex');

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  /** The organisation created at sign-up (the user is its admin). */
  orgId: string;
  /** `{ cookie: 'wb_session=...' }`, ready for inject. */
  headers: Record<string, string>;
  sessionToken: string;
}

/** The wb_session value of a response's Set-Cookie. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  const found = all.find((c) => c.startsWith('wb_session='));
  if (!found) throw new Error(`no wb_session cookie in ${JSON.stringify(header)}`);
  return found.split(';')[0]!.slice('wb_session='.length);
}

/** Signs a new user up through the API (with their own organisation). */
export async function signUp(app: FastifyInstance, name = 'user'): Promise<TestUser> {
  const email = `${name}-${uniq()}@example.test`;
  const password = `pw-${uniq()}-long-enough`;
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/sign-up',
    payload: { email, password, displayName: name, organisationName: `${name} org ${uniq()}` },
  });
  if (res.statusCode !== 201) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { user: { id: string }; organization: { id: string } };
  const sessionToken = sessionCookie(res);
  return { userId: body.user.id, email, password, orgId: body.organization.id, headers: { cookie: `wb_session=${sessionToken}` }, sessionToken };
}

/** Adds `member` to `orgId` with `role`, as `admin`. */
export async function addMember(app: FastifyInstance, admin: TestUser, orgId: string, member: TestUser, role: 'admin' | 'developer' | 'viewer'): Promise<void> {
  const res = await app.inject({ method: 'POST', url: `/v1/orgs/${orgId}/members`, headers: admin.headers, payload: { email: member.email, role } });
  if (res.statusCode !== 201) throw new Error(`add member failed: ${res.statusCode} ${res.body}`);
}

export interface ProjectDto {
  id: string;
  workstreamSlug: string;
  taskQueueName: string;
  [k: string]: unknown;
}

export async function createProject(app: FastifyInstance, user: TestUser, orgId = user.orgId, body: Record<string, unknown> = {}): Promise<ProjectDto> {
  const res = await app.inject({ method: 'POST', url: `/v1/orgs/${orgId}/projects`, headers: user.headers, payload: { name: `Project ${uniq()}`, ...body } });
  if (res.statusCode !== 201) throw new Error(`create project failed: ${res.statusCode} ${res.body}`);
  return res.json() as ProjectDto;
}

export interface WorkflowDto {
  id: string;
  kebabName: string;
  definitionVersion: number;
  status: string;
  definition: WorkflowDefinition;
  [k: string]: unknown;
}

export async function createWorkflow(
  app: FastifyInstance, user: TestUser, orgId: string, projectId: string, body: Record<string, unknown> = {},
): Promise<WorkflowDto> {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/orgs/${orgId}/workflows`,
    headers: user.headers,
    payload: { projectId, name: `Workflow ${uniq()}`, definition: linearDefinition, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`create workflow failed: ${res.statusCode} ${res.body}`);
  return res.json() as WorkflowDto;
}

/**
 * Asserts a problem+json response: status, stable code, the request id, and (when given) that
 * one of its errors names `field`.
 */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string, field?: string): Array<{ field: string; code: string; message: string }> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as { status: number; code: string; requestId: string; errors?: Array<{ field: string; code: string; message: string }>; detail: string };
  expect(body).toMatchObject({ status, code });
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expect(body.detail).toEqual(expect.any(String));
  expect(body.errors?.length ?? 0, 'a 4xx names at least one field').toBeGreaterThan(0);
  if (field !== undefined) expect(body.errors?.map((e) => e.field)).toContain(field);
  // Never SQL or a stack trace.
  expect(res.body).not.toMatch(/\b(select|insert|update|delete)\b.+\b(from|into|set)\b/i);
  expect(res.body).not.toMatch(/\n\s+at /);
  return body.errors ?? [];
}
