import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { createProject, createWorkflow, signUp, type TestUser } from '../../test/helpers.ts';
import { createEngineTestApp, deployViaApi, pollRun, startViaApi, type EngineTestApp } from '../../test/engine.ts';

const at = (x: number) => ({ x: x * 250, y: 0 });
const childDef: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { greeting: 'hi {{ input.name }}' } }, position: at(1) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'done' }],
};
const parentDef: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'greet', kind: 'workflow.child', label: 'Greet', config: { workflowSlug: 'greeter', input: { name: 'Ada' } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { child: '{{ steps.greet.output.greeting }}' } }, position: at(2) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'greet' }, { id: 'e2', source: 'greet', target: 'done' }],
};

/** The run detail links parent and child runs both ways. */
describe('run detail: parent and child runs', () => {
  let t: EngineTestApp;
  let owner: TestUser;
  let outsider: TestUser;
  beforeAll(async () => {
    t = await createEngineTestApp('run-family');
    owner = await signUp(t.app, 'owner');
    outsider = await signUp(t.app, 'outsider');
  });
  afterAll(() => t?.close());

  it('lists the children of a parent run and names the parent of a child run', async () => {
    const project = await createProject(t.app, owner);
    const child = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Greeter', kebabName: 'greeter', definition: childDef });
    await deployViaApi(t.app, owner, owner.orgId, child.id, 30);
    const parent = await createWorkflow(t.app, owner, owner.orgId, project.id, { name: 'Parent', kebabName: 'parent', definition: parentDef });
    await deployViaApi(t.app, owner, owner.orgId, parent.id, 30);

    const { runId } = await startViaApi(t.app, owner, owner.orgId, parent.id, {});
    const done = await pollRun(t.app, owner, owner.orgId, runId);
    expect(done.run).toMatchObject({ status: 'completed', output: { child: 'hi Ada' }, parentRunId: null, parentStepNumber: null });
    const detail = (await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/runs/${runId}`, headers: owner.headers })).json() as {
      children: Array<{ runId: string; workflowId: string; workflowName: string; status: string; parentStepNumber: number; nodeId: string }>;
      steps: Array<{ nodeId: string; stepNumber: number }>;
    };
    const greetStep = detail.steps.find((s) => s.nodeId === 'greet')!;
    expect(detail.children).toEqual([expect.objectContaining({
      workflowId: child.id, workflowName: 'Greeter', status: 'completed', parentStepNumber: greetStep.stepNumber, nodeId: 'greet',
    })]);

    const childRun = await pollRun(t.app, owner, owner.orgId, detail.children[0]!.runId);
    expect(childRun.run).toMatchObject({ parentRunId: runId, parentStepNumber: greetStep.stepNumber, channel: 'child', output: { greeting: 'hi Ada' } });
    expect((childRun as unknown as { children: unknown[] }).children).toEqual([]);
    // The child's Temporal id is the one the parent started (so run actions reach it).
    expect(childRun.run["temporalWorkflowId"]).toMatch(new RegExp(`/greet#${greetStep.stepNumber}$`));

    // Another organisation sees neither.
    const hidden = await t.app.inject({ method: 'GET', url: `/v1/orgs/${owner.orgId}/runs/${detail.children[0]!.runId}`, headers: outsider.headers });
    expect(hidden.statusCode).toBe(404);
  });
});
