import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withCaller } from '@workflow-builder/db';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { projectHash, runtimeHash, runtimeSourceFiles } from '@workflow-builder/compiler/export-project';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

/** Waits for `go`, then shapes the signal's payload with a transform and ends with it. */
function shapeFlow(label: string): WorkflowDefinition {
  return {
    schemaVersion: 1,
    signals: [{ name: 'go' }],
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'wait', kind: 'signal.wait', label: 'Go', config: { signalName: 'go' }, position: at(1) },
      { id: 'shape', kind: 'transform', label: `Shape ${label}`, config: { mapping: { value: '{{ steps.wait.output.value }}' } }, position: at(2) },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { shaped: '{{ steps.shape.output }}' } }, position: at(3) },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait' },
      { id: 'e2', source: 'wait', sourceHandle: 'received', target: 'shape' },
      { id: 'e3', source: 'shape', target: 'done' },
    ],
  };
}

const TRANSFORM = `return this.step(nodeId, async (_step, config) => ({ output: config['mapping'] ?? {} }));`;

/** The current runtime with a `transform` primitive that adds a marker: an observably different runtime. */
function patchedRuntime(): { hash: string; files: Record<string, string> } {
  const files = runtimeSourceFiles();
  const file = 'src/runtime/workflow/workflow-run.ts';
  expect(files[file]).toContain(TRANSFORM);
  files[file] = files[file]!.replace(TRANSFORM,
    `return this.step(nodeId, async (_step, config) => ({ output: { ...(config['mapping'] as Record<string, unknown>), runtime: 'pinned-snapshot' } }));`);
  return { hash: projectHash(files), files };
}

describe('each compiled version runs on the runtime it was compiled against', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness('runtime-pinning'); await h.startWorkers(); });
  afterAll(() => h?.close());

  it('a deploy records the current runtime and stores its snapshot once; callers cannot read snapshots', async () => {
    const a = await h.createWorkflow('records-runtime-a', shapeFlow('a'));
    const b = await h.createWorkflow('records-runtime-b', shapeFlow('b'));
    await h.deploy(a);
    await h.deploy(b);
    const rows = await sql<{ runtime_hash: string | null }>`select runtime_hash from public.workflow_compiled_code where workflow_id in (${a}, ${b})`.execute(h.db);
    expect(rows.rows).toEqual([{ runtime_hash: runtimeHash() }, { runtime_hash: runtimeHash() }]);
    const snapshots = await sql<{ hash: string; files: Record<string, string> }>`select hash, files from public.runtime_snapshots`.execute(h.db);
    expect(snapshots.rows).toHaveLength(1);
    expect(snapshots.rows[0]!.hash).toBe(runtimeHash());
    expect(snapshots.rows[0]!.files).toEqual(runtimeSourceFiles());
    // The API's role reaches snapshots only through the checked functions.
    await expect(withCaller(h.apiDb, h.caller, (tx) => sql`select hash from public.runtime_snapshots`.execute(tx))).rejects.toThrow(/permission denied/);
  });

  it('the database refuses a snapshot filed under another runtime\'s hash', async () => {
    const { files } = patchedRuntime();
    const otherHash = runtimeHash().replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await expect(withCaller(h.apiDb, h.caller, (tx) => sql`select app.store_runtime_snapshot(${otherHash}, ${JSON.stringify(files)}::jsonb)`.execute(tx)))
      .rejects.toThrow(/does not match its hash/);
  });

  it('one project Worker serves a version on its stored runtime snapshot and a new version on the current runtime', async () => {
    const wf = await h.createWorkflow('pinned-runtime', shapeFlow('v1'));
    const v1 = await h.deploy(wf);
    // v1 as if compiled by an older platform: pinned to a runtime whose transform adds a marker.
    const patched = patchedRuntime();
    expect(patched.hash).not.toBe(runtimeHash());
    await sql`select app.store_runtime_snapshot(${patched.hash}, ${JSON.stringify(patched.files)}::jsonb)`.execute(h.db);
    await sql`update public.workflow_compiled_code set runtime_hash = ${patched.hash} where workflow_id = ${wf} and version = ${v1.version}`.execute(h.db);
    const servedHash = () => [...h.manager.served().values()].flat().find((s) => s.workflowId === wf && s.version === v1.version)?.bundle.runtimeHash;
    await expect.poll(async () => { h.manager.trigger(); await h.manager.settled(); return servedHash(); }, { timeout: 60_000 }).toBe(patched.hash);

    const oldRun = await h.start(wf, {});
    await expect.poll(async () => (await h.steps(oldRun.runId)).find((s) => s.node_id === 'wait')?.status, { timeout: 20_000 }).toBe('running');

    await h.saveDefinition(wf, shapeFlow('v2'));
    const v2 = await h.deploy(wf);
    expect(v2.version).toBe(v1.version + 1);
    const stored = await sql<{ version: number; runtime_hash: string; workflow_code: string }>`
      select version, runtime_hash, workflow_code from public.workflow_compiled_code where workflow_id = ${wf} order by version`.execute(h.db);
    expect(stored.rows.map((r) => [r.version, r.runtime_hash])).toEqual([[v1.version, patched.hash], [v2.version, runtimeHash()]]);
    // The stored code is unchanged: the worker rewrites the import when it writes the bundle's tree.
    for (const r of stored.rows) expect(r.workflow_code).toContain(`from '../runtime/workflow/index.ts'`);
    // Both versions in one Worker (one bundle) of the project.
    const project = h.manager.served().get(h.project.projectId)!.filter((s) => s.workflowId === wf);
    expect(project.map((s) => [s.version, s.bundle.runtimeHash]).sort()).toEqual([[v1.version, patched.hash], [v2.version, runtimeHash()]]);

    const newRun = await h.start(wf, {});
    await h.client.workflow.getHandle(oldRun.temporalWorkflowId).signal('go', { value: 'old' });
    await h.client.workflow.getHandle(newRun.temporalWorkflowId).signal('go', { value: 'new' });
    expect(await h.waitForRun(oldRun.runId)).toMatchObject({ status: 'completed', compiled_version: v1.version, output: { shaped: { value: 'old', runtime: 'pinned-snapshot' } } });
    const fresh = await h.waitForRun(newRun.runId);
    expect(fresh).toMatchObject({ status: 'completed', compiled_version: v2.version });
    expect(fresh.output).toEqual({ shaped: { value: 'new' } });
  });
});
