import { workQueueDefinition } from '@workflow-builder/definition';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { projectFiles } from './export-project.ts';
import { removeProject, testMeta, typecheckProject, writeProject } from './test-support.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('work queues in generated code', () => {
  it('emits queue.process as a loop over the runtime and the queues, query returns and names as data', () => {
    const compiled = compileWorkflow(
      workQueueDefinition({ approval: true, queue: { order: 'priority', maxSize: 5, dedupeBy: 'id' } }),
      testMeta({ kebabName: 'orders', version: 2 }),
    );
    const code = compiled.files.workflowCode;
    expect(code.slice(code.indexOf('export async function'))).toBe(`export async function wf_orders_v2(args: WorkflowRunArgs): Promise<unknown> {
  const run = new WorkflowRun(args, NODES, WORKFLOW);
  return run.execute(async () => {
    await run.trigger("start");
    await run.processQueue("consume", "handle", async (iteration) => {
      await iteration.waitForSignal("wait");
      await iteration.transform("handle");
    });
    return run.end("done");
  });
}
`);
    const spec = code.slice(code.indexOf('const WORKFLOW = '), code.indexOf(' as const satisfies WorkflowSpec'));
    expect(spec).toContain('"queryReturns": {\n    "lastHandled": "steps.handle.output",\n    "orders_contents": "queues.orders"\n  }');
    expect(spec).toContain(`"workQueues": {
    "orders": {
      "name": "orders",
      "order": "priority",
      "maxSize": 5,
      "deduplicate": true,
      "dedupeBy": "id",
      "addSignal": "orders_add",
      "stopSignal": "orders_stop",
      "stateQuery": "orders_state",
      "enqueueUpdate": "orders_enqueue"
    }
  }`);
    // Generated messages are registered by the queue, not as plain buffered signals.
    expect(spec).toContain('"signals": [\n    "approve"\n  ]');
  });

  it('type-checks as a standalone project', () => {
    const dir = writeProject(projectFiles([compileWorkflow(workQueueDefinition({ approval: true }), testMeta({ kebabName: 'orders' }))]), { linkDependencies: true });
    dirs.push(dir);
    expect(typecheckProject(dir)).toEqual([]);
  });
});
