import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { sql } from 'kysely';
import { Client, Connection } from '@temporalio/client';
import { createDb, withCaller, type Caller, type Database } from '@workflow-builder/db';
import { addMember, createOrg, createProject, createUser, withPg } from '@workflow-builder/db/test-helpers';
import { createTestDatabase, repoRoot, type TestDatabase } from '@workflow-builder/devstack';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import type { WorkflowRunArgs } from '@workflow-builder/runtime/contract';
import { runtimeHash, runtimeSourceFiles, projectHash } from '@workflow-builder/compiler/export-project';
import { deployWorkflow } from './deploy.ts';
import { exportProjectZip } from './export-project.ts';

const at = (x: number) => ({ x, y: 0 });
const definition = (url: string): WorkflowDefinition => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'greet', kind: 'http.request', label: 'Greet', config: { url: `${url}/hello/{{ input.name }}`, method: 'GET', responseType: 'json' }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { greeting: '{{ steps.greet.output.body.text }}' } }, position: at(2) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'greet' }, { id: 'e2', source: 'greet', target: 'done' }],
});

/** Links the packages an exported project depends on from this monorepo (what `npm install` would fetch). */
async function linkDependencies(dir: string): Promise<void> {
  const fromWorker = createRequire(path.join(repoRoot, 'apps/worker/package.json'));
  const fromRuntime = createRequire(path.join(repoRoot, 'packages/runtime/package.json'));
  const pkgRoot = (req: NodeRequire, name: string) => {
    const entry = req.resolve(name);
    return entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}`.length);
  };
  const links: Array<[string, string]> = [
    ['@temporalio/worker', pkgRoot(fromWorker, '@temporalio/worker')],
    ['@temporalio/client', pkgRoot(fromWorker, '@temporalio/client')],
    ['@temporalio/workflow', pkgRoot(fromRuntime, '@temporalio/workflow')],
    ['@temporalio/activity', pkgRoot(fromRuntime, '@temporalio/activity')],
    ['@temporalio/common', pkgRoot(fromRuntime, '@temporalio/common')],
    ['jsonata', pkgRoot(fromRuntime, 'jsonata')],
  ];
  for (const [name, target] of links) {
    await mkdir(path.dirname(path.join(dir, 'node_modules', name)), { recursive: true });
    await symlink(target, path.join(dir, 'node_modules', name));
  }
}

describe('exported projects run without the platform', () => {
  let tdb: TestDatabase;
  let db: Database;
  let caller: Caller;
  let project: { taskQueueName: string };
  let orgId: string;
  let server: TestServer;
  let worker: ChildProcess | undefined;
  let dir: string;
  let wfId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase('export');
    const setup = await withPg(tdb.admin, async (c) => {
      const dev = await createUser(c, 'dev');
      const org = await createOrg(c, 'Export');
      await addMember(c, org, dev, 'developer');
      return { dev, org, project: await createProject(c, org, dev) };
    });
    orgId = setup.org;
    project = setup.project;
    caller = { authUserId: setup.dev.authUserId, orgId };
    db = createDb(tdb.api, { max: 2 });
    server = await startTestServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ text: `Hello ${decodeURIComponent(req.url.split('/').pop() ?? '')}` }));
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'wb-export-'));
    wfId = await withCaller(db, caller, async (tx) => {
      const r = await sql<{ id: string }>`insert into public.workflows (org_id, project_id, workstream_slug, name, kebab_name, created_by, definition)
        values (${orgId}, ${setup.project.projectId}, ${setup.project.workstreamSlug}, 'Greeter', 'greeter', app.current_user_id(), ${JSON.stringify(definition(server.url))}::jsonb)
        returning id`.execute(tx);
      await deployWorkflow(tx, r.rows[0]!.id);
      return r.rows[0]!.id;
    });
    const { fileName, zip } = await withCaller(db, caller, (tx) => exportProjectZip(tx, wfId));
    expect(fileName).toBe('greeter-v1.zip');
    for (const [name, bytes] of Object.entries(unzipSync(zip))) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, strFromU8(bytes));
    }
  });

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await server?.close();
    await db?.destroy();
    await tdb?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is a complete project: its own worker runs the workflow against Temporal, no Postgres involved', async () => {
    const root = path.join(dir, 'greeter-v1');
    const pkg = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(path.join(root, 'package.json'), 'utf8'))) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe('tsx src/worker.ts');
    await linkDependencies(root);
    const taskQueue = `export-${Date.now()}`;
    const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
    let output = '';
    worker = spawn(tsx, ['src/worker.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: process.env.WB_TEST_TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: process.env.WB_TEST_TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE: taskQueue },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (c) => { output += c; });
    worker.stderr!.on('data', (c) => { output += c; });
    await expect.poll(() => output, { timeout: 60_000, interval: 200 }).toContain('worker listening');

    const connection = await Connection.connect({ address: process.env.WB_TEST_TEMPORAL_ADDRESS! });
    try {
      const client = new Client({ connection, namespace: process.env.WB_TEST_TEMPORAL_NAMESPACE! });
      const args: WorkflowRunArgs = {
        input: { name: 'Ada' },
        run: { runId: 'standalone-1', orgId: 'o', projectId: 'p', workflowId: 'w', workstreamSlug: 'ws', version: 1, recordSteps: true },
      };
      const result = await client.workflow.execute('wf_greeter_v1', { taskQueue, workflowId: `export-${Date.now()}`, args: [args] });
      expect(result).toEqual({ greeting: 'Hello Ada' });
    } finally {
      await connection.close();
    }
  });

  it('ships the runtime the version was compiled against (its stored snapshot), not the current one', async () => {
    const current = await withCaller(db, caller, (tx) => exportProjectZip(tx, wfId));
    const file = 'greeter-v1/src/runtime/workflow/workflow-run.ts';
    expect(strFromU8(unzipSync(current.zip)[file]!)).toBe(runtimeSourceFiles()['src/runtime/workflow/workflow-run.ts']);
    // Pin v1 to an older runtime (as the worker sees it after a platform upgrade).
    const old = runtimeSourceFiles();
    old['src/runtime/workflow/workflow-run.ts'] = `// older runtime\n${old['src/runtime/workflow/workflow-run.ts']}`;
    const hash = projectHash(old);
    expect(hash).not.toBe(runtimeHash());
    await withPg(tdb.admin, async (c) => {
      await c.query('select app.store_runtime_snapshot($1, $2::jsonb)', [hash, JSON.stringify(old)]);
      await c.query('update public.workflow_compiled_code set runtime_hash = $1 where workflow_id = $2 and version = 1', [hash, wfId]);
    });
    const pinned = await withCaller(db, caller, (tx) => exportProjectZip(tx, wfId));
    const files = unzipSync(pinned.zip);
    expect(strFromU8(files[file]!)).toMatch(/^\/\/ older runtime\n/);
    expect(Object.keys(files).filter((p) => p.includes('/src/runtime/')).sort()).toEqual(Object.keys(old).map((p) => `greeter-v1/${p}`).sort());
    // Another organisation's caller gets nothing of it.
    const other = await withPg(tdb.admin, async (c) => {
      const u = await createUser(c, 'other');
      const o = await createOrg(c, 'Other');
      await addMember(c, o, u, 'developer');
      return { authUserId: u.authUserId, orgId: o };
    });
    const leaked = await withCaller(db, other, (tx) => sql<{ files: unknown }>`select app.runtime_snapshot_of(${wfId}, 1) as files`.execute(tx));
    expect(leaked.rows).toEqual([{ files: null }]);
  });
});
