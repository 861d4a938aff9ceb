/**
 * Workflow definitions the benchmarks use: generated large graphs for the compiler, and the
 * 20-step sequential / 20-wide parallel `http.request` workflows for the run benchmarks.
 */
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '@workflow-builder/definition';

const at = (x: number, y = 0) => ({ x, y });

class Builder {
  readonly nodes: WorkflowNode[] = [];
  readonly edges: WorkflowEdge[] = [];
  private x = 0;

  node(id: string, kind: string, config: Record<string, unknown>, y = 0): string {
    this.nodes.push({ id, kind, label: id, config, position: at((this.x += 200), y) });
    return id;
  }

  edge(source: string, target: string, sourceHandle?: string): void {
    this.edges.push({ id: `e${this.edges.length + 1}`, source, target, ...(sourceHandle === undefined ? {} : { sourceHandle }) });
  }
}

type Segment = 'http' | 'transform' | 'if' | 'parallel' | 'forEach';
const SIZE: Record<Segment, number> = { http: 1, transform: 1, if: 4, parallel: 5, forEach: 3 };
/** One cycle of 19 nodes: mostly a sequence, with an if/else, a 3-branch parallel and a forEach. */
const CYCLE: Segment[] = ['http', 'transform', 'if', 'transform', 'parallel', 'http', 'forEach', 'transform', 'http', 'transform'];

/**
 * A valid definition of exactly `total` nodes (trigger and output.end included): a long sequence
 * of `http.request` and `transform` steps with if/else, parallel/join and forEach regions, whose
 * expressions read the input, upstream steps, and `item` inside loop bodies.
 */
export function generatedDefinition(total: number): WorkflowDefinition {
  if (total < 3) throw new Error('at least 3 nodes');
  const b = new Builder();
  let prev = b.node('start', 'trigger.manual', {});
  let prevHandle: string | undefined;
  let remaining = total - 2;
  let i = 0;
  const link = (target: string) => { b.edge(prev, target, prevHandle); prevHandle = undefined; };
  while (remaining > 0) {
    let seg = CYCLE[i % CYCLE.length]!;
    if (SIZE[seg] > remaining) seg = 'transform';
    const n = i++;
    switch (seg) {
      case 'http': {
        const id = b.node(`get_${n}`, 'http.request', { url: 'https://api.example.com/items/{{ input.id }}', method: 'GET', headers: { 'X-Step': `${n}` } });
        link(id);
        prev = id;
        break;
      }
      case 'transform': {
        const id = b.node(`map_${n}`, 'transform', { mapping: { previous: `{{ steps.${prev}.output }}`, n: `${n}`, id: '{{ input.id }}' } });
        link(id);
        prev = id;
        break;
      }
      case 'if': {
        const c = b.node(`if_${n}`, 'branch.if', { condition: '{{ input.flag = true }}' });
        link(c);
        const t = b.node(`yes_${n}`, 'transform', { mapping: { branch: 'yes', id: '{{ input.id }}' } }, -100);
        const f = b.node(`no_${n}`, 'transform', { mapping: { branch: 'no' } }, 100);
        const m = b.node(`merge_${n}`, 'transform', { mapping: { branch: `{{ $exists(steps.yes_${n}.output) ? steps.yes_${n}.output.branch : steps.no_${n}.output.branch }}` } });
        b.edge(c, t, 'true');
        b.edge(c, f, 'false');
        b.edge(t, m);
        b.edge(f, m);
        prev = m;
        break;
      }
      case 'parallel': {
        const p = b.node(`fork_${n}`, 'flow.parallel', {});
        link(p);
        const branches = [
          b.node(`pa_${n}`, 'http.request', { url: 'https://api.example.com/a/{{ input.id }}' }, -100),
          b.node(`pb_${n}`, 'transform', { mapping: { id: '{{ input.id }}' } }, 0),
          b.node(`pc_${n}`, 'http.request', { url: 'https://api.example.com/c', method: 'POST', body: '{{ input }}' }, 100),
        ];
        const j = b.node(`join_${n}`, 'flow.join', {});
        for (const br of branches) {
          b.edge(p, br, 'out');
          b.edge(br, j);
        }
        prev = j;
        break;
      }
      case 'forEach': {
        const l = b.node(`each_${n}`, 'flow.forEach', { items: '{{ input.items }}', concurrency: 4 });
        link(l);
        const body = b.node(`item_get_${n}`, 'http.request', { url: 'https://api.example.com/items/{{ item }}', query: { index: '{{ index }}' } }, -100);
        const last = b.node(`item_map_${n}`, 'transform', { mapping: { item: '{{ item }}', status: `{{ steps.item_get_${n}.output.status }}` } }, -100);
        b.edge(l, body, 'item');
        b.edge(body, last);
        prev = l;
        prevHandle = 'done';
        break;
      }
    }
    remaining -= SIZE[seg];
  }
  const end = b.node('done', 'output.end', { output: { last: `{{ steps.${prev}.output }}` } });
  link(end);
  return {
    schemaVersion: 1,
    inputSchema: { type: 'object', properties: { id: { type: 'integer' }, flag: { type: 'boolean' }, items: { type: 'array' } } },
    nodes: b.nodes,
    edges: b.edges,
  };
}

/** Config of one no-op `http.request` step against the local server (literal: no templates). */
const httpStep = (url: string) => ({ url: `${url}/noop`, method: 'GET', responseType: 'json' });

/** trigger -> h1 -> ... -> h<steps> -> end */
export function sequentialHttp(url: string, steps = 20, endValue: unknown = 'done'): WorkflowDefinition {
  const b = new Builder();
  let prev = b.node('start', 'trigger.manual', {});
  for (let i = 1; i <= steps; i++) {
    const id = b.node(`h${i}`, 'http.request', httpStep(url));
    b.edge(prev, id);
    prev = id;
  }
  const end = b.node('done', 'output.end', { output: { result: endValue } });
  b.edge(prev, end);
  return { schemaVersion: 1, nodes: b.nodes, edges: b.edges };
}

/** trigger -> fork => (h1 | ... | h<width>) -> join -> end */
export function parallelHttp(url: string, width = 20): WorkflowDefinition {
  const b = new Builder();
  const start = b.node('start', 'trigger.manual', {});
  const fork = b.node('fork', 'flow.parallel', {});
  b.edge(start, fork);
  const join = b.node('gather', 'flow.join', {});
  for (let i = 1; i <= width; i++) {
    const id = b.node(`h${i}`, 'http.request', httpStep(url), i * 50);
    b.edge(fork, id, 'out');
    b.edge(id, join);
  }
  const end = b.node('done', 'output.end', { output: { result: 'done' } });
  b.edge(join, end);
  return { schemaVersion: 1, nodes: b.nodes, edges: b.edges };
}
