import { kitchenSinkDefinition, linearDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CompileError } from './compile-error.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { emitLiteral, stringLiteral } from './emit-literal.ts';
import { workflowTypeName } from './names.ts';
import { filesHash, sha256Hex } from './sha256.ts';
import { testMeta } from './test-support.ts';

const kitchenMeta = testMeta({ kebabName: 'order-flow', version: 7, childWorkflows: { 'notify-customer': { workflowType: 'wf_notify_customer_v2' } } });

/** The lines of the workflow function body. */
function body(code: string): string {
  const start = code.indexOf('export async function');
  return code.slice(start);
}

describe('compileWorkflow', () => {
  it('emits the linear fixture as a plain sequence of runtime calls', () => {
    const compiled = compileWorkflow(linearDefinition, testMeta({ kebabName: 'fetch-user', version: 3 }));
    expect(compiled.workflowType).toBe('wf_fetch_user_v3');
    expect(body(compiled.files.workflowCode)).toBe(`export async function wf_fetch_user_v3(args: WorkflowRunArgs): Promise<unknown> {
  const run = new WorkflowRun(args, NODES, WORKFLOW);
  return run.execute(async () => {
    await run.trigger("start");
    await run.httpRequest("fetch_user");
    await run.transform("shape");
    return run.end("end");
  });
}
`);
    expect(compiled.files.workflowCode).toContain(`import { WorkflowRun, type NodeTable, type WorkflowSpec } from '../runtime/workflow/index.ts';`);
    expect(compiled.files.workflowCode).toContain(`const NODES = {
  "start": {
    "kind": "trigger.manual",
    "label": "Start",
    "config": {}
  },`);
    // Activity options: the node's timeout and retry policy, in milliseconds.
    expect(compiled.files.workflowCode).toContain(`  "activities": {
    "fetch_user": {
      "startToCloseTimeout": 30000,
      "retry": {
        "maximumAttempts": 3,
        "initialInterval": 1000,
        "backoffCoefficient": 2,
        "maximumInterval": 10000
      }
    }
  },`);
    // Config defaults from the kind descriptor are applied at compile time.
    expect(compiled.files.workflowCode).toContain('"maxResponseBytes": 1048576');
  });

  it('emits nested statements for the kitchen sink', () => {
    const compiled = compileWorkflow(kitchenSinkDefinition, kitchenMeta);
    expect(body(compiled.files.workflowCode)).toBe(`export async function wf_order_flow_v7(args: WorkflowRunArgs): Promise<unknown> {
  const run = new WorkflowRun(args, NODES, WORKFLOW);
  return run.execute(async () => {
    await run.trigger("trigger");
    await run.httpRequest("fetch");
    await run.aiAgent("summarize");
    if (await run.branchIf("is_ok")) {
      await run.parallel("fan_out", [
        async () => {
          await run.transform("enrich");
        },
        async () => {
          await run.childWorkflow("notify");
        },
      ]);
      await run.join("gather", ["enrich", "notify"]);
      await run.forEach("each_line", "line_total", async (iteration) => {
        await iteration.httpRequest("line_price");
        await iteration.transform("line_total");
      });
    } else {
      switch (await run.branchSwitch("route")) {
        case "not_found": {
          await run.delay("backoff");
          break;
        }
        case "conflict": {
          if ((await run.waitForSignal("approval")) === "received") {
            await run.transform("approved");
          } else {
            await run.transform("timed_out");
          }
          await run.transform("approval_merge");
          break;
        }
        default: {
        }
      }
      await run.transform("switch_merge");
    }
    await run.transform("result");
    return run.end("done");
  });
}
`);
    expect(compiled.files.workflowCode).toContain(`  "children": {
    "notify": {
      "workflowType": "wf_notify_customer_v2",
      "taskQueue": "wb-test"
    }
  },
  "signals": [
    "approve"
  ],
  "queries": [
    "progress"
  ]`);
    expect(compiled.workflowExecutionTimeoutMs).toBe(7 * 86_400_000);
  });

  it('is deterministic: byte-identical files and hash for the same input', () => {
    const a = compileWorkflow(kitchenSinkDefinition, kitchenMeta);
    const b = compileWorkflow(structuredClone(kitchenSinkDefinition), { ...kitchenMeta });
    expect(b.files).toEqual(a.files);
    expect(b.contentHash).toBe(a.contentHash);
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(compileWorkflow(kitchenSinkDefinition, { ...kitchenMeta, version: 8 }).contentHash).not.toBe(a.contentHash);
    const relabelled: WorkflowDefinition = { ...kitchenSinkDefinition, nodes: kitchenSinkDefinition.nodes.map((n) => (n.id === 'fetch' ? { ...n, label: 'Other' } : n)) };
    expect(compileWorkflow(relabelled, kitchenMeta).contentHash).not.toBe(a.contentHash);
  });

  it('refuses invalid definitions and metadata with the problems', () => {
    const broken: WorkflowDefinition = { ...linearDefinition, edges: linearDefinition.edges.slice(0, 1) };
    const error = (() => {
      try {
        compileWorkflow(broken, testMeta());
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).problems.map((p) => p.code)).toContain('unreachable_node');
    expect(() => compileWorkflow(linearDefinition, testMeta({ kebabName: 'Bad_Name' }))).toThrow(CompileError);
    expect(() => compileWorkflow(linearDefinition, testMeta({ version: 0 }))).toThrow(CompileError);
    expect(() => compileWorkflow(kitchenSinkDefinition, testMeta())).toThrow(/unknown_workflow|notify-customer/);
    expect(() =>
      compileWorkflow(kitchenSinkDefinition, testMeta({ childWorkflows: { 'notify-customer': { workflowType: 'x"); evil()' } } })),
    ).toThrow(CompileError);
  });

  it('derives workflow types from kebab names', () => {
    expect(workflowTypeName('a', 1)).toBe('wf_a_v1');
    expect(workflowTypeName('send-invoice-2', 12)).toBe('wf_send_invoice_2_v12');
    expect(() => workflowTypeName('-x', 1)).toThrow();
    expect(() => workflowTypeName('x--y', 1)).toThrow();
  });
});

describe('emitLiteral', () => {
  it('round-trips JSON and keeps __proto__ a plain key', () => {
    const value = JSON.parse('{"a":[1,"x",null,true,{"b":-0.5}],"__proto__":{"p":1},"":"\\u2028\\u2029</script>"}') as unknown;
    const text = emitLiteral(value);
    expect(text).toContain('["__proto__"]: {');
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text.replace('["__proto__"]', '"__proto__"'))).toEqual(value);
    expect(stringLiteral('a"b\n`${x}`')).toBe('"a\\"b\\n`${x}`"');
    expect(() => emitLiteral({ n: Number.NaN })).toThrow();
    expect(() => emitLiteral({ f: () => 1 })).toThrow();
  });
});

describe('sha256', () => {
  it('matches node:crypto', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'b'.repeat(56), 'c'.repeat(64), 'ünïcödé 🚀'.repeat(40)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
    expect(filesHash({ b: '1', a: '2' })).toBe(filesHash({ a: '2', b: '1' }));
    expect(filesHash({ a: '12' })).not.toBe(filesHash({ a1: '2' }));
  });
});
