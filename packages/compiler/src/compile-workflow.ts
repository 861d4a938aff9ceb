/**
 * Compiles a workflow definition into TypeScript Temporal code. Pure and deterministic: the
 * same definition and metadata always give byte-identical files and the same hash.
 *
 * Generated code never contains user text as code: labels, configs and expressions are emitted
 * only inside the `NODES` / `WORKFLOW` data literals (see `emit-literal.ts`); node ids, case
 * handles and names appear as string literals only after validation against their patterns.
 */
import {
  analyzeStructure,
  applyConfigDefaults,
  getNodeKind,
  queueMessageNames,
  validateWorkflow,
  type SequenceBlock,
  type StructuredBlock,
  type WorkflowDefinition,
  type WorkflowNode,
  type RetryPolicy,
} from '@workflow-builder/definition';
import { CompileError } from './compile-error.ts';
import { emitLiteral, stringLiteral } from './emit-literal.ts';
import { assertName, IDENTIFIER_PATTERN, NODE_ID_PATTERN, WORKFLOW_TYPE_PATTERN, workflowTypeName } from './names.ts';
import {
  renderActivitiesCode,
  renderPackageJson,
  renderTsconfigJson,
  renderWorkerCode,
} from './project-scaffold.ts';
import { filesHash } from './sha256.ts';

/** A published workflow a `workflow.child` node may start, by slug. */
export interface ChildWorkflowRef {
  /** The child's compiled workflow type, e.g. `wf_notify_customer_v2`. */
  workflowType: string;
  /** Task queue of the child's worker; defaults to the parent's. */
  taskQueue?: string;
  /** Platform workflow id / version of the child, copied into the child run's `RunContextInfo`. */
  workflowId?: string;
  version?: number;
  /** Signals the child's version sends its parent (`signal.parent` nodes): the node must allow them. */
  signalsToParent?: readonly string[];
  /** Queries the child's version asks its parent (`query.parent` nodes): the node must allow them. */
  queriesToParent?: readonly string[];
}

/** What the platform knows about the version being compiled. */
export interface CompileMeta {
  /** `workflows.id` */
  workflowId: string;
  /** `workflows.slug`, lowercase kebab-case. */
  kebabName: string;
  /** `workflow_compiled_code.version`, from 1. */
  version: number;
  displayName: string;
  /** Task queue of the project's worker. */
  taskQueue: string;
  /** Workflows `workflow.child` nodes may start, keyed by slug. */
  childWorkflows?: Record<string, ChildWorkflowRef>;
}

/** The generated files of one workflow version. */
export interface CompiledFiles {
  /** `src/workflows/<workflowType>.ts` */
  workflowCode: string;
  /** `src/activities.ts` */
  activitiesCode: string;
  /** `src/worker.ts` */
  workerCode: string;
  packageJson: string;
  tsconfigJson: string;
}

/** Result of {@link compileWorkflow}. */
export interface CompiledWorkflow {
  files: CompiledFiles;
  /** Temporal workflow type, `wf_<kebab with _>_v<version>`; also the exported function's name. */
  workflowType: string;
  /** Hex SHA-256 over `files`. */
  contentHash: string;
  /** The task queue the worker code listens on. */
  taskQueue: string;
  /** `settings.executionTimeoutSeconds` in ms, for whoever starts runs (a start option, not code). */
  workflowExecutionTimeoutMs?: number;
}

/** Retry policy used when neither the node nor the workflow settings give one. */
export const DEFAULT_RETRY: Required<RetryPolicy> = {
  maximumAttempts: 3,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 30_000,
};

const ACTIVITY_KINDS: Readonly<Record<string, 'httpRequest' | 'aiAgent'>> = { 'http.request': 'httpRequest', 'ai.agent': 'aiAgent' };

/** The runtime method each single-node kind compiles to (`run.<method>("id")`). */
const NODE_METHODS: Readonly<Record<string, string>> = {
  'trigger.manual': 'trigger',
  'trigger.webhook': 'trigger',
  'trigger.schedule': 'trigger',
  'http.request': 'httpRequest',
  'ai.agent': 'aiAgent',
  transform: 'transform',
  'flow.delay': 'delay',
  'signal.wait': 'waitForSignal',
  'workflow.child': 'childWorkflow',
  'signal.parent': 'signalParent',
  'query.parent': 'queryParent',
  'output.end': 'end',
};

/** The runtime method each loop kind compiles to (`run.<method>("id", "resultId", async (iteration) => { … })`). */
const LOOP_METHODS: Readonly<Record<string, string>> = {
  'flow.forEach': 'forEach',
  'queue.process': 'processQueue',
};

/** `WORKFLOW.workQueues`: each declared queue with its generated message names. */
function workQueueSpecs(definition: WorkflowDefinition): Record<string, unknown> {
  const specs: Record<string, unknown> = {};
  for (const queue of definition.workQueues ?? []) {
    const name = assertName(queue.name, IDENTIFIER_PATTERN, 'work queue name');
    const names = queueMessageNames(name);
    specs[name] = {
      name,
      order: queue.order ?? 'fifo',
      ...(queue.maxSize === undefined ? {} : { maxSize: queue.maxSize }),
      ...(queue.priorityField === undefined ? {} : { priorityField: queue.priorityField }),
      deduplicate: queue.deduplicate === true || queue.dedupeBy !== undefined,
      ...(queue.dedupeBy === undefined ? {} : { dedupeBy: queue.dedupeBy }),
      addSignal: names.add,
      stopSignal: names.stop,
      stateQuery: names.state,
      enqueueUpdate: names.enqueue,
    };
  }
  return specs;
}

function activityOptions(node: WorkflowNode, definition: WorkflowDefinition, config: Record<string, unknown>): Record<string, unknown> {
  const settings = definition.settings ?? {};
  const retry = { ...DEFAULT_RETRY, ...(settings.defaultRetry ?? {}), ...(node.retry ?? {}) };
  let timeoutSeconds = node.timeoutSeconds ?? settings.defaultActivityTimeoutSeconds;
  if (timeoutSeconds === undefined) {
    const httpTimeoutMs = typeof config['timeoutMs'] === 'number' ? config['timeoutMs'] : 10_000;
    timeoutSeconds = node.kind === 'ai.agent' ? 300 : Math.max(60, Math.ceil(httpTimeoutMs / 1000) + 5);
  }
  return {
    startToCloseTimeout: timeoutSeconds * 1000,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: Math.max(retry.maximumIntervalMs, retry.initialIntervalMs),
    },
  };
}

/** Emits the statements of a structured tree. */
class StatementEmitter {
  private readonly lines: string[] = [];
  private loopDepth = 0;

  constructor(private readonly nodes: ReadonlyMap<string, WorkflowNode>) {}

  private id(nodeId: string): string {
    return stringLiteral(assertName(nodeId, NODE_ID_PATTERN, 'node id'));
  }

  private line(indent: string, text: string): void {
    this.lines.push(`${indent}${text}`);
  }

  /** Emits a sequence; returns true when it ends with `return` (an `output.end`). */
  sequence(sequence: SequenceBlock, scope: string, indent: string): boolean {
    let returned = false;
    for (const block of sequence.blocks) returned = this.block(block, scope, indent);
    return returned;
  }

  private block(block: StructuredBlock, scope: string, indent: string): boolean {
    switch (block.type) {
      case 'node': {
        const kind = this.nodes.get(block.nodeId)?.kind ?? block.kind;
        const method = NODE_METHODS[kind];
        if (method === undefined) throw new CompileError(`node kind ${JSON.stringify(kind)} cannot be compiled as a single step`);
        if (kind === 'output.end') {
          this.line(indent, `return ${scope}.end(${this.id(block.nodeId)});`);
          return true;
        }
        this.line(indent, `await ${scope}.${method}(${this.id(block.nodeId)});`);
        return false;
      }
      case 'if': {
        this.line(indent, `if (await ${scope}.branchIf(${this.id(block.nodeId)})) {`);
        this.sequence(block.then, scope, `${indent}  `);
        this.line(indent, '} else {');
        this.sequence(block.else, scope, `${indent}  `);
        this.line(indent, '}');
        return block.mergeNodeId === null;
      }
      case 'signalWait': {
        this.line(indent, `if ((await ${scope}.waitForSignal(${this.id(block.nodeId)})) === "received") {`);
        this.sequence(block.received, scope, `${indent}  `);
        this.line(indent, '} else {');
        this.sequence(block.timeout, scope, `${indent}  `);
        this.line(indent, '}');
        return block.mergeNodeId === null;
      }
      case 'switch': {
        this.line(indent, `switch (await ${scope}.branchSwitch(${this.id(block.nodeId)})) {`);
        for (const branch of block.cases) {
          this.line(`${indent}  `, `case ${stringLiteral(assertName(branch.handle, IDENTIFIER_PATTERN, 'switch case id'))}: {`);
          if (!this.sequence(branch.body, scope, `${indent}    `)) this.line(`${indent}    `, 'break;');
          this.line(`${indent}  `, '}');
        }
        this.line(`${indent}  `, 'default: {');
        this.sequence(block.default, scope, `${indent}    `);
        this.line(`${indent}  `, '}');
        this.line(indent, '}');
        return block.mergeNodeId === null;
      }
      case 'parallel': {
        this.line(indent, `await ${scope}.parallel(${this.id(block.nodeId)}, [`);
        for (const branch of block.branches) {
          if (branch.body.blocks.length === 0) {
            this.line(`${indent}  `, 'async () => {},');
            continue;
          }
          this.line(`${indent}  `, 'async () => {');
          this.sequence(branch.body, scope, `${indent}    `);
          this.line(`${indent}  `, '},');
        }
        this.line(indent, ']);');
        const sources = block.branches.map((branch) => this.id(branch.resultNodeId)).join(', ');
        this.line(indent, `await ${scope}.join(${this.id(block.joinNodeId)}, [${sources}]);`);
        return false;
      }
      case 'forEach': {
        this.loopDepth++;
        const inner = `iteration${this.loopDepth === 1 ? '' : this.loopDepth}`;
        const method = LOOP_METHODS[block.kind] ?? 'forEach';
        this.line(indent, `await ${scope}.${method}(${this.id(block.nodeId)}, ${this.id(block.resultNodeId)}, async (${inner}) => {`);
        this.sequence(block.body, inner, `${indent}  `);
        this.line(indent, '});');
        this.loopDepth--;
        return false;
      }
      default: {
        const unknown: never = block;
        throw new CompileError(`unsupported block ${JSON.stringify((unknown as { type?: unknown }).type)}`);
      }
    }
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** Node ids in the order the tree mentions them (joins right after their parallel). */
function treeNodeIds(sequence: SequenceBlock, into: string[] = []): string[] {
  for (const block of sequence.blocks) {
    into.push(block.nodeId);
    switch (block.type) {
      case 'if':
        treeNodeIds(block.then, into);
        treeNodeIds(block.else, into);
        break;
      case 'signalWait':
        treeNodeIds(block.received, into);
        treeNodeIds(block.timeout, into);
        break;
      case 'switch':
        for (const branch of block.cases) treeNodeIds(branch.body, into);
        treeNodeIds(block.default, into);
        break;
      case 'parallel':
        for (const branch of block.branches) treeNodeIds(branch.body, into);
        into.push(block.joinNodeId);
        break;
      case 'forEach':
        treeNodeIds(block.body, into);
        break;
      default:
        break;
    }
  }
  return into;
}

function checkMeta(meta: CompileMeta): string {
  const workflowType = workflowTypeName(meta.kebabName, meta.version);
  if (typeof meta.taskQueue !== 'string' || meta.taskQueue.length === 0 || meta.taskQueue.length > 1000) {
    throw new CompileError('taskQueue must be a non-empty string of at most 1000 characters');
  }
  if (typeof meta.workflowId !== 'string' || typeof meta.displayName !== 'string') {
    throw new CompileError('workflowId and displayName must be strings');
  }
  for (const [slug, child] of Object.entries(meta.childWorkflows ?? {})) {
    assertName(child.workflowType, WORKFLOW_TYPE_PATTERN, `childWorkflows[${JSON.stringify(slug)}].workflowType`);
  }
  return workflowType;
}

/**
 * Compiles a definition into the files of a Temporal project.
 *
 * @throws {CompileError} with the definition's `problems` when it does not validate, or when
 *   the metadata is unusable (bad kebab name, unknown child workflow).
 * @example
 * const compiled = compileWorkflow(linearDefinition, {
 *   workflowId: '6f1c…', kebabName: 'fetch-user', version: 1, displayName: 'Fetch user', taskQueue: 'project-42',
 * })
 * compiled.workflowType // 'wf_fetch_user_v1'
 * compiled.files.workflowCode // 'import { WorkflowRun, … } …'
 */
export function compileWorkflow(definition: WorkflowDefinition, meta: CompileMeta): CompiledWorkflow {
  const workflowType = checkMeta(meta);
  const children = meta.childWorkflows ?? {};
  const problems = validateWorkflow(definition, { knownWorkflowSlugs: Object.keys(children), childWorkflows: children });
  if (problems.length > 0) throw new CompileError('the workflow definition is not valid', problems);
  const structure = analyzeStructure(definition);
  if (!structure.ok) throw new CompileError('the workflow graph is not structured', structure.problems);

  const byId = new Map(definition.nodes.map((node) => [node.id, node]));
  const used = new Set(treeNodeIds(structure.root));
  const nodes: Record<string, unknown> = {};
  const activities: Record<string, unknown> = {};
  const cache: Record<string, unknown> = {};
  const childSpecs: Record<string, unknown> = {};
  const expressionFields: Record<string, readonly string[]> = {};

  for (const node of definition.nodes) {
    if (!used.has(node.id)) continue;
    assertName(node.id, NODE_ID_PATTERN, 'node id');
    const descriptor = getNodeKind(node.kind);
    if (descriptor === undefined) throw new CompileError(`unknown node kind ${JSON.stringify(node.kind)}`);
    const config = applyConfigDefaults(descriptor, node.config) as Record<string, unknown>;
    nodes[node.id] = { kind: node.kind, label: node.label, config };
    if (descriptor.expressionFields.length > 0) expressionFields[node.kind] = [...descriptor.expressionFields];
    if (ACTIVITY_KINDS[node.kind] !== undefined) activities[node.id] = activityOptions(node, definition, config);
    // Step cache (activity nodes only, checked by validateWorkflow): the key template stays data.
    if (ACTIVITY_KINDS[node.kind] !== undefined && node.cache !== undefined) cache[node.id] = { ...node.cache };
    if (node.kind === 'workflow.child') {
      const slug = String(config['workflowSlug']);
      const child = Object.prototype.hasOwnProperty.call(children, slug) ? children[slug] : undefined;
      if (child === undefined) throw new CompileError(`node ${node.id}: no compiled workflow is known for slug ${JSON.stringify(slug)}`);
      childSpecs[node.id] = {
        workflowType: child.workflowType,
        taskQueue: child.taskQueue ?? meta.taskQueue,
        ...(child.workflowId === undefined ? {} : { workflowId: child.workflowId }),
        ...(child.version === undefined ? {} : { version: child.version }),
        ...(node.timeoutSeconds === undefined ? {} : { executionTimeoutMs: node.timeoutSeconds * 1000 }),
      };
    }
  }

  const signals = new Set<string>((definition.signals ?? []).map((signal) => assertName(signal.name, IDENTIFIER_PATTERN, 'signal name')));
  for (const node of definition.nodes) {
    if (used.has(node.id) && node.kind === 'signal.wait') signals.add(assertName(node.config['signalName'], IDENTIFIER_PATTERN, 'signal name'));
  }
  const queries = (definition.queries ?? []).map((query) => assertName(query.name, IDENTIFIER_PATTERN, 'query name'));
  const queryReturns: Record<string, string> = {};
  for (const query of definition.queries ?? []) if (query.returns !== undefined) queryReturns[query.name] = query.returns;

  const spec = {
    workflowType,
    workflowId: meta.workflowId,
    version: meta.version,
    expressionFields,
    activities,
    children: childSpecs,
    ...(Object.keys(cache).length === 0 ? {} : { cache }),
    signals: [...signals],
    queries,
    ...(Object.keys(queryReturns).length === 0 ? {} : { queryReturns }),
    ...((definition.workQueues ?? []).length === 0 ? {} : { workQueues: workQueueSpecs(definition) }),
  };

  const emitter = new StatementEmitter(byId);
  emitter.sequence(structure.root, 'run', '    ');

  const workflowCode = `// Generated by @workflow-builder/compiler. Do not edit.
// Workflow type ${workflowType}. All definition data (labels, configs, expressions) is in the
// NODES and WORKFLOW literals below; the code only refers to nodes by their validated ids.
import { WorkflowRun, type NodeTable, type WorkflowSpec } from '../runtime/workflow/index.ts';
import type { WorkflowRunArgs } from '../runtime/contract.ts';

/** Every node of the definition, by id. Client overrides and templates are applied at run time. */
const NODES = ${emitLiteral(nodes)} as const satisfies NodeTable;

/** Activity options per activity node, child workflows per child node, signals and queries. */
const WORKFLOW = ${emitLiteral(spec)} as const satisfies WorkflowSpec;

export async function ${workflowType}(args: WorkflowRunArgs): Promise<unknown> {
  const run = new WorkflowRun(args, NODES, WORKFLOW);
  return run.execute(async () => {
${emitter.text()}
  });
}
`;

  const files: CompiledFiles = {
    workflowCode,
    activitiesCode: renderActivitiesCode(),
    workerCode: renderWorkerCode(meta.taskQueue),
    packageJson: renderPackageJson(meta.kebabName, meta.displayName),
    tsconfigJson: renderTsconfigJson(),
  };
  const executionTimeoutSeconds = definition.settings?.executionTimeoutSeconds;
  return {
    files,
    workflowType,
    contentHash: filesHash({ ...files }),
    taskQueue: meta.taskQueue,
    ...(executionTimeoutSeconds === undefined ? {} : { workflowExecutionTimeoutMs: executionTimeoutSeconds * 1000 }),
  };
}
