/**
 * fast-check arbitraries for valid, structured workflow definitions: sequences, if/else,
 * switch, signal waits with timeout, parallel/join and forEach, nested up to a depth limit.
 */
import fc from 'fast-check';
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '@workflow-builder/definition';

/** A structured block before it is laid out as nodes and edges. */
export type Shape =
  | { type: 'step'; kind: 'transform' | 'http.request' | 'flow.delay' | 'ai.agent' | 'signal.wait' | 'workflow.child' }
  | { type: 'if'; then: Shape[]; else: Shape[] }
  | { type: 'switch'; cases: Shape[][]; fallback: Shape[] }
  | { type: 'signalWait'; received: Shape[]; timeout: Shape[] }
  | { type: 'parallel'; branches: Shape[][] }
  | { type: 'forEach'; body: Shape[]; concurrency: number };

const stepKinds = ['transform', 'http.request', 'flow.delay', 'ai.agent', 'signal.wait', 'workflow.child'] as const;

/** Blocks nested at most `depth` levels deep. */
export function shapeArbitrary(depth: number): fc.Arbitrary<Shape> {
  const step = fc.constantFrom(...stepKinds).map((kind): Shape => ({ type: 'step', kind }));
  if (depth <= 0) return step;
  const seq = (min: number) => fc.array(shapeArbitrary(depth - 1), { minLength: min, maxLength: 3 });
  return fc.oneof(
    { weight: 4, arbitrary: step },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('if' as const), then: seq(0), else: seq(0) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('switch' as const), cases: fc.array(seq(0), { minLength: 1, maxLength: 3 }), fallback: seq(0) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('signalWait' as const), received: seq(0), timeout: seq(0) }) },
    // At most one empty branch: two would be duplicate fork → join edges.
    { weight: 1, arbitrary: fc.record({ type: fc.constant('parallel' as const), branches: fc.tuple(seq(0), fc.array(seq(1), { minLength: 1, maxLength: 2 })).map(([a, rest]) => [a, ...rest]) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('forEach' as const), body: seq(1), concurrency: fc.integer({ min: 1, max: 10 }) }) },
  );
}

/** Root shapes and whether the run ends with `output.end`. */
export const definitionShapeArbitrary = fc.record({
  blocks: fc.array(shapeArbitrary(3), { minLength: 0, maxLength: 4 }),
  end: fc.boolean(),
});

/** Slug the generated `workflow.child` nodes start. */
export const CHILD_SLUG = 'child-flow';

type Pending = Array<{ source: string; handle: string }>;

/** Lays out shapes as a valid definition (explicit merge nodes after every branch). */
export function buildDefinition(shape: { blocks: Shape[]; end: boolean }): WorkflowDefinition {
  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  let counter = 0;
  const id = (prefix: string) => `${prefix}_${++counter}`;
  const add = (kind: string, config: Record<string, unknown>, prefix = kind.replace(/\W/g, '_')): string => {
    const nodeId = id(prefix);
    nodes.push({ id: nodeId, kind, label: `${kind} ${counter}`, config, position: { x: counter * 10, y: 0 } });
    return nodeId;
  };
  const connect = (pending: Pending, target: string): void => {
    for (const { source, handle } of pending) edges.push({ id: `e_${edges.length + 1}`, source, target, sourceHandle: handle });
  };
  const stepConfig = (kind: Shape & { type: 'step' }, inLoop: boolean): Record<string, unknown> => {
    const value = inLoop ? '{{ item }}-{{ index }}' : '{{ input.n }}';
    switch (kind.kind) {
      case 'transform':
        return { mapping: { value, run: '{{ run.id }}' } };
      case 'http.request':
        return { url: 'https://example.com/{{ input.n }}', method: 'POST', body: { literal: true }, headers: { 'X-Value': value } };
      case 'flow.delay':
        return { duration: '1s' };
      case 'ai.agent':
        return { model: 'test-model', prompt: `Say ${value}` };
      case 'signal.wait':
        return { signalName: 'go' };
      case 'workflow.child':
        return { workflowSlug: CHILD_SLUG, input: { value } };
    }
  };
  const sequence = (blocks: readonly Shape[], incoming: Pending, inLoop: boolean): Pending => {
    let pending = incoming;
    for (const block of blocks) pending = place(block, pending, inLoop);
    return pending;
  };
  const merge = (ends: Pending[]): Pending => {
    const joinNode = add('transform', { mapping: { merged: '{{ true }}' } }, 'merge');
    connect(ends.flat(), joinNode);
    return [{ source: joinNode, handle: 'out' }];
  };
  const place = (block: Shape, pending: Pending, inLoop: boolean): Pending => {
    switch (block.type) {
      case 'step': {
        const nodeId = add(block.kind, stepConfig(block, inLoop));
        connect(pending, nodeId);
        return [{ source: nodeId, handle: block.kind === 'signal.wait' ? 'received' : 'out' }];
      }
      case 'if': {
        const nodeId = add('branch.if', { condition: inLoop ? '{{ index > 0 }}' : '{{ input.n > 1 }}' });
        connect(pending, nodeId);
        return merge([sequence(block.then, [{ source: nodeId, handle: 'true' }], inLoop), sequence(block.else, [{ source: nodeId, handle: 'false' }], inLoop)]);
      }
      case 'switch': {
        const cases = block.cases.map((_, index) => ({ id: `case_${index}`, label: `Case ${index}`, equals: index }));
        const nodeId = add('branch.switch', { value: '{{ input.n }}', cases });
        connect(pending, nodeId);
        return merge([
          ...block.cases.map((body, index) => sequence(body, [{ source: nodeId, handle: `case_${index}` }], inLoop)),
          sequence(block.fallback, [{ source: nodeId, handle: 'default' }], inLoop),
        ]);
      }
      case 'signalWait': {
        const nodeId = add('signal.wait', { signalName: 'go', timeoutSeconds: 30 });
        connect(pending, nodeId);
        return merge([sequence(block.received, [{ source: nodeId, handle: 'received' }], inLoop), sequence(block.timeout, [{ source: nodeId, handle: 'timeout' }], inLoop)]);
      }
      case 'parallel': {
        const fork = add('flow.parallel', {});
        connect(pending, fork);
        const ends = block.branches.map((branch) => sequence(branch, [{ source: fork, handle: 'out' }], inLoop));
        const joinNode = add('flow.join', {});
        connect(ends.flat(), joinNode);
        return [{ source: joinNode, handle: 'out' }];
      }
      case 'forEach': {
        const loop = add('flow.forEach', { items: '{{ input.items }}', concurrency: block.concurrency });
        connect(pending, loop);
        sequence(block.body, [{ source: loop, handle: 'item' }], true);
        return [{ source: loop, handle: 'done' }];
      }
    }
  };

  const trigger = add('trigger.manual', {}, 'start');
  const last = sequence(shape.blocks, [{ source: trigger, handle: 'out' }], false);
  if (shape.end) {
    const end = add('output.end', { output: { n: '{{ input.n }}' } }, 'end');
    connect(last, end);
  }
  return { schemaVersion: 1, signals: [{ name: 'go' }], nodes, edges };
}
