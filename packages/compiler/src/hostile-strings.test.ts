/**
 * User text never becomes code: hostile strings in every free-text field end up only inside the
 * NODES / WORKFLOW data literals, the code around them is byte-identical to a benign compile,
 * and the project still type-checks. Fields that must be identifiers reject hostile text.
 */
import { kitchenSinkDefinition, workQueueDefinition, type WorkflowDefinition } from '@workflow-builder/definition';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { CompileError } from './compile-error.ts';
import { compileWorkflow, type CompileMeta } from './compile-workflow.ts';
import { projectFiles } from './export-project.ts';
import { removeProject, testMeta, typecheckProject, writeProject } from './test-support.ts';

const MARK = 'HOSTILE';
/** Every piece carries MARK so its traces can be found in the output. */
const PIECES = [
  `${MARK}"`,
  `${MARK}'`,
  `${MARK}\``,
  `${MARK}\${process.exit(1)}`,
  `${MARK}*/ evil(); /*`,
  `${MARK}</script><script>alert(1)</script>`,
  `${MARK}\nline two\r\nline three`,
  `${MARK}\u2028\u2029`,
  `${MARK}require('child_process').execSync('id')`,
  `${MARK}"); process.exit(1); ("`,
  `${MARK}\`); process.exit(1); (\``,
  `${MARK}// comment`,
  `${MARK}\\u0041\\`,
  `${MARK}\u0000\u001f\u007f`,
  `${MARK} ẞ 𝒳 🚀 \u202Eevil\u202C 中文`,
];
const HOSTILE = PIECES.join(' ');
/** Short enough for map keys (at most 200 characters). */
const HOSTILE_KEY = `${MARK}"\`\${x}*/\n\u2028'`;
/** Short enough for labels and titles (at most 200 characters). */
const HOSTILE_LABEL = `${MARK}"'\`\${process.exit(1)}*/</script>\n\r\u2028\u2029require('fs')"); x("\u0000 🚀 \u202E中文 // c`;

/** The JSONata string literal for `text`, inside a template. */
const expression = (text: string) => `{{ ${JSON.stringify(text)} }}`;

function hostileDefinition(text: string, key: string, label: string): WorkflowDefinition {
  const base = structuredClone(kitchenSinkDefinition);
  base.inputSchema = { type: 'object', title: label, description: text, properties: { [key]: { type: 'string', title: label, description: text, default: text } } };
  base.signals = (base.signals ?? []).map((signal) => ({ ...signal, description: text }));
  base.queries = (base.queries ?? []).map((query) => ({ ...query, description: text }));
  base.nodes = base.nodes.map((node) => {
    const config = node.config;
    switch (node.kind) {
      case 'trigger.webhook':
        return { ...node, label, config: { ...config, description: text } };
      case 'http.request':
        return {
          ...node,
          label,
          config: {
            ...config,
            url: `https://api.example.com/${expression(text)}`,
            headers: { [key]: expression(text), Plain: text },
            query: { [key]: text },
            ...(config['method'] === 'POST' ? { body: { [key]: text, nested: [text, { [key]: text }] } } : {}),
          },
        };
      case 'ai.agent':
        return { ...node, label, config: { ...config, prompt: `${text} ${expression(text)}`, systemPrompt: text, model: label } };
      case 'transform':
        return { ...node, label, config: { mapping: { ...(config['mapping'] as Record<string, unknown>), [key]: text, [`${key}2`]: expression(text) } } };
      case 'branch.switch':
        return {
          ...node,
          label,
          config: { ...config, cases: (config['cases'] as Array<Record<string, unknown>>).map((c) => ({ ...c, label })) },
        };
      case 'signal.wait':
        return { ...node, label, config: { ...config, description: text } };
      case 'workflow.child':
        return { ...node, label, config: { ...config, input: { [key]: expression(text), plain: text } } };
      case 'output.end':
        return { ...node, label, config: { output: { ...(config['output'] as Record<string, unknown>), [key]: expression(text) } } };
      default:
        return { ...node, label };
    }
  });
  return base;
}

const meta = (text: string): CompileMeta =>
  testMeta({
    kebabName: 'hostile',
    displayName: text,
    taskQueue: `queue ${text}`.slice(0, 1000),
    workflowId: text,
    childWorkflows: { 'notify-customer': { workflowType: 'wf_notify_customer_v1', workflowId: text, taskQueue: text } },
  });

/** Source ranges of the NODES and WORKFLOW initializers. */
function dataRanges(source: ts.SourceFile): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && ['NODES', 'WORKFLOW'].includes(declaration.name.text) && declaration.initializer !== undefined) {
        // `{ ... } as const satisfies X`: the object literal itself.
        let literal: ts.Expression = declaration.initializer;
        while (ts.isSatisfiesExpression(literal) || ts.isAsExpression(literal)) literal = literal.expression;
        ranges.push([literal.getStart(source), literal.getEnd()]);
      }
    }
  }
  return ranges;
}

/** Every token and comment of `code` that contains MARK, with its position and syntax kind. */
function markedTokens(code: string): Array<{ pos: number; text: string; kind: string }> {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const found: Array<{ pos: number; text: string; kind: string }> = [];
  const comments = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const range of [...(ts.getLeadingCommentRanges(code, node.getFullStart()) ?? []), ...(ts.getTrailingCommentRanges(code, node.getEnd()) ?? [])]) {
      if (comments.has(range.pos)) continue;
      comments.add(range.pos);
      const text = code.slice(range.pos, range.end);
      if (text.includes(MARK)) found.push({ pos: range.pos, text, kind: 'Comment' });
    }
    if (node.getChildCount(source) === 0) {
      const text = node.getText(source);
      if (text.includes(MARK)) found.push({ pos: node.getStart(source), text, kind: ts.SyntaxKind[node.kind] });
      return;
    }
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return found;
}

/** `code` with the data literals replaced by a placeholder. */
function skeleton(code: string): string {
  const source = ts.createSourceFile('w.ts', code, ts.ScriptTarget.Latest, true);
  let out = '';
  let last = 0;
  for (const [start, end] of dataRanges(source)) {
    out += `${code.slice(last, start)}<DATA>`;
    last = end;
  }
  return out + code.slice(last);
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('hostile strings', () => {
  const definition = hostileDefinition(HOSTILE, HOSTILE_KEY, HOSTILE_LABEL);
  const compiled = compileWorkflow(definition, meta(HOSTILE));
  const code = compiled.files.workflowCode;

  it('appear in the workflow code only as string literals inside NODES and WORKFLOW', () => {
    const source = ts.createSourceFile('w.ts', code, ts.ScriptTarget.Latest, true);
    expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    const ranges = dataRanges(source);
    expect(ranges).toHaveLength(2);
    const marked = markedTokens(code);
    expect(marked.length).toBeGreaterThan(20);
    for (const token of marked) {
      expect(token.kind, token.text).toBe('StringLiteral');
      expect(ranges.some(([start, end]) => token.pos >= start && token.pos < end), token.text).toBe(true);
    }
    // No raw line terminators inside any literal, and nothing in comments.
    expect(code).not.toMatch(/[\u2028\u2029]/);
    const comments = code.split('\n').filter((line) => line.trim().startsWith('//') || line.trim().startsWith('/*') || line.trim().startsWith('*'));
    expect(comments.join('\n')).not.toContain(MARK);
  });

  it('leave the code around the data byte-identical to a benign compile', () => {
    const benign = compileWorkflow(hostileDefinition('benign', 'benign_key', 'benign label'), meta('benign'));
    expect(skeleton(code)).toBe(skeleton(benign.files.workflowCode));
    expect(skeleton(code)).toContain('await run.httpRequest("fetch");');
  });

  it('round-trip as data', () => {
    const source = ts.createSourceFile('w.ts', code, ts.ScriptTarget.Latest, true);
    const [nodesRange] = dataRanges(source);
    const nodes = JSON.parse(code.slice(...(nodesRange as [number, number]))) as Record<string, { label: string; config: Record<string, unknown> }>;
    expect(nodes['fetch']?.label).toBe(HOSTILE_LABEL);
    expect((nodes['fetch']?.config['headers'] as Record<string, unknown>)['Plain']).toBe(HOSTILE);
    expect((nodes['enrich']?.config['mapping'] as Record<string, unknown>)[HOSTILE_KEY]).toBe(HOSTILE);
    expect((nodes['done']?.config['output'] as Record<string, unknown>)[HOSTILE_KEY]).toBe(expression(HOSTILE));
  });

  it('stay data in the worker, start script and package.json', () => {
    const tree = projectFiles(compiled);
    for (const path of ['src/worker.ts', 'src/start.ts', 'src/activities.ts', 'src/workflows.ts']) {
      for (const token of markedTokens(tree[path] as string)) expect(token.kind, `${path}: ${token.text}`).toBe('StringLiteral');
    }
    expect((JSON.parse(compiled.files.packageJson) as { description: string }).description).toBe(HOSTILE);
  });

  it('still type-check', () => {
    const dir = writeProject(projectFiles(compiled), { linkDependencies: true });
    dirs.push(dir);
    expect(typecheckProject(dir)).toEqual([]);
  });

  it('are rejected where names become identifiers or code', () => {
    const withSignal = structuredClone(kitchenSinkDefinition);
    withSignal.signals = [{ name: HOSTILE }];
    expect(() => compileWorkflow(withSignal, meta('x'))).toThrow(CompileError);
    const withNodeId = structuredClone(kitchenSinkDefinition);
    (withNodeId.nodes[1] as { id: string }).id = `x${HOSTILE_KEY}`;
    expect(() => compileWorkflow(withNodeId, meta('x'))).toThrow(CompileError);
    const withCase = structuredClone(kitchenSinkDefinition);
    const route = withCase.nodes.find((node) => node.id === 'route');
    (route?.config['cases'] as Array<{ id: string }>)[0]!.id = HOSTILE_KEY;
    expect(() => compileWorkflow(withCase, meta('x'))).toThrow(CompileError);
    expect(() => compileWorkflow(kitchenSinkDefinition, { ...meta('x'), kebabName: HOSTILE_KEY })).toThrow(CompileError);
    expect(() =>
      compileWorkflow(kitchenSinkDefinition, { ...meta('x'), childWorkflows: { 'notify-customer': { workflowType: `wf_a_v1${HOSTILE_KEY}` } } }),
    ).toThrow(CompileError);
  });
});

/**
 * The declarations added with work queues, query `returns`, the step cache, `blockUntil` and
 * `signal.parent`: their free text (descriptions, item schemas, cache key templates, blockUntil
 * expressions, signal payloads) stays data; their names and paths must be identifiers.
 */
describe('hostile strings in work queues, query returns, step cache, blockUntil and signal.parent', () => {
  const withQueues = (text: string, key: string, label: string): WorkflowDefinition => {
    const base = workQueueDefinition({ queue: { description: text } });
    base.workQueues = (base.workQueues ?? []).map((queue) => ({ ...queue, itemSchema: { ...queue.itemSchema, title: label, description: text } }));
    base.queries = (base.queries ?? []).map((query) => ({ ...query, description: text }));
    base.nodes.push({ id: 'tell', kind: 'signal.parent', label, config: { signalName: 'progress', payload: { [key]: expression(text), plain: text } }, position: { x: 0, y: 400 } });
    base.edges.push({ id: 'e5', source: 'handle', target: 'tell' });
    return base;
  };
  const withCacheAndBlock = (text: string, label: string): WorkflowDefinition => {
    const base = hostileDefinition(text, HOSTILE_KEY, label);
    base.nodes = base.nodes.map((node) => {
      if (node.id === 'fetch') return { ...node, cache: { key: `${text} ${expression(text)}`, ttlSeconds: 60 } };
      if (node.id === 'notify') return { ...node, config: { ...node.config, blockUntil: { nodes: ['fetch'], expression: expression(text) } } };
      return node;
    });
    return base;
  };
  const cases = [
    ['work queues, query returns and signal.parent', (text: string) => withQueues(text, text === 'benign' ? 'benign_key' : HOSTILE_KEY, text === 'benign' ? 'benign label' : HOSTILE_LABEL)],
    ['the step cache and blockUntil', (text: string) => withCacheAndBlock(text, text === 'benign' ? 'benign label' : HOSTILE_LABEL)],
  ] as const;

  it.each(cases)('%s: appear only as string literals inside the data, around byte-identical code', (_name, build) => {
    const code = compileWorkflow(build(HOSTILE), meta(HOSTILE)).files.workflowCode;
    const source = ts.createSourceFile('w.ts', code, ts.ScriptTarget.Latest, true);
    expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    const ranges = dataRanges(source);
    const marked = markedTokens(code);
    expect(marked.length).toBeGreaterThan(3);
    for (const token of marked) {
      expect(token.kind, token.text).toBe('StringLiteral');
      expect(ranges.some(([start, end]) => token.pos >= start && token.pos < end), token.text).toBe(true);
    }
    expect(code).not.toMatch(/[\u2028\u2029]/);
    expect(skeleton(code)).toBe(skeleton(compileWorkflow(build('benign'), meta('benign')).files.workflowCode));
  });

  it('carry the cache key and blockUntil expression through as data', () => {
    const code = compileWorkflow(withCacheAndBlock(HOSTILE, HOSTILE_LABEL), meta(HOSTILE)).files.workflowCode;
    const source = ts.createSourceFile('w.ts', code, ts.ScriptTarget.Latest, true);
    const [nodesRange, workflowRange] = dataRanges(source) as Array<[number, number]>;
    const nodes = JSON.parse(code.slice(...nodesRange!)) as Record<string, { config: Record<string, unknown> }>;
    expect((nodes['notify']?.config['blockUntil'] as { expression: string }).expression).toBe(expression(HOSTILE));
    const workflow = code.slice(...workflowRange!);
    expect(workflow).toContain(JSON.stringify(`${HOSTILE} ${expression(HOSTILE)}`).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'));
  });

  it('are rejected where they would become names or paths', () => {
    const reject = (mutate: (d: WorkflowDefinition) => void) => {
      const d = withQueues('x', 'k', 'l');
      mutate(d);
      expect(() => compileWorkflow(d, meta('x'))).toThrow(CompileError);
    };
    reject((d) => { d.workQueues![0]!.name = HOSTILE_KEY; });
    reject((d) => { d.workQueues![0]!.dedupeBy = HOSTILE_KEY; });
    reject((d) => { d.workQueues![0]!.priorityField = `x.${HOSTILE_KEY}`; });
    reject((d) => { d.queries![0]!.returns = `input.${HOSTILE_KEY}`; });
    reject((d) => { d.queries![0]!.returns = `steps.handle.output"); process.exit(1); ("`; });
    reject((d) => { d.nodes.find((n) => n.id === 'tell')!.config['signalName'] = HOSTILE_KEY; });
    reject((d) => { d.nodes.find((n) => n.id === 'consume')!.config['queue'] = HOSTILE_KEY; });
    const blocked = (blockUntil: Record<string, unknown>) => {
      const d = withCacheAndBlock('x', 'l');
      d.nodes = d.nodes.map((n) => (n.id === 'notify' ? { ...n, config: { ...n.config, blockUntil } } : n));
      expect(() => compileWorkflow(d, meta('x'))).toThrow(CompileError);
    };
    blocked({ signal: HOSTILE_KEY });
    blocked({ nodes: [HOSTILE_KEY] });
    blocked({ expression: `${MARK}"); process.exit(1); ("` });
  });
});
