/**
 * Per-step costs of the platform's workflow-side code, measured in plain Node (outside the
 * workflow sandbox, so absolute numbers are indicative): config resolution (clone + template
 * slots + expression evaluation), the expression context built for every step, the activity proxy
 * created per step, and the worker manager's per-reconcile bundle key.
 */
import { proxyActivities } from '@temporalio/workflow';
import { compileWorkflow } from '@workflow-builder/compiler';
import { getNodeKind } from '@workflow-builder/definition';
import { cloneJson, resolveTemplates } from '@workflow-builder/runtime/workflow';
import { WorkflowBundler } from '../../apps/worker/src/bundler.ts';
import { sequentialHttp } from './definitions.ts';
import { now } from './stats.ts';

export interface MicroResult {
  /** µs per call, median of batches; as WorkflowRun.resolveConfig: cloneJson + resolveTemplates. */
  resolveLiteralHttpConfigUs: number;
  resolveTemplatedHttpConfigUs: number;
  /** RunScope.context() equivalent at step k, averaged over k = 1..20 (20 prior http outputs at most). */
  buildContextUs: number;
  proxyActivitiesUs: number;
  /** WorkflowBundler.keyOf for one version: hashes the whole project tree (runtime sources included), run on every reconcile. */
  bundleKeyMs: number;
}

async function perCallUs(fn: () => unknown | Promise<unknown>, calls: number, batches = 7): Promise<number> {
  const samples: number[] = [];
  for (let b = 0; b < batches + 2; b++) {
    const t = now();
    for (let i = 0; i < calls; i++) {
      // Never await a non-promise: an activity proxy would be taken for a thenable.
      const r = fn();
      if (r instanceof Promise) await r;
    }
    if (b >= 2) samples.push(((now() - t) * 1000) / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

const httpOutput = { status: 200, headers: { 'content-type': 'application/json', 'content-length': '11', date: 'Tue, 24 Nov 2026 02:00:00 GMT', connection: 'keep-alive', 'keep-alive': 'timeout=60' }, body: { ok: true } };

/** What RunScope.context() builds: the steps map by defineProperty, plus input and run. */
function buildContext(priorSteps: number): unknown {
  const outputs: Record<string, { output: unknown }> = {};
  for (let i = 1; i <= priorSteps; i++) Object.defineProperty(outputs, `h${i}`, { value: { output: httpOutput }, enumerable: true, writable: true, configurable: true });
  const steps: Record<string, { output: unknown }> = {};
  for (const [id, value] of Object.entries(outputs)) Object.defineProperty(steps, id, { value, enumerable: true, writable: true, configurable: true });
  return { input: {}, steps, run: { id: 'run' } };
}

export async function runMicroBench(url: string): Promise<MicroResult> {
  const fields = getNodeKind('http.request')!.expressionFields;
  const literal = { url: `${url}/noop`, method: 'GET', responseType: 'json', timeoutMs: 10_000, maxResponseBytes: 1_048_576 };
  const templated = { ...literal, url: '{{ input.base }}/noop', headers: { 'X-Run': '{{ run.id }}', 'X-Prev': '{{ steps.h1.output.status }}' } };
  const context = { input: { base: url }, steps: { h1: { output: httpOutput } }, run: { id: 'run' } };
  const options = { startToCloseTimeout: 60_000, retry: { maximumAttempts: 3, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 30_000 }, activityId: 'h1#2', summary: 'h1' };
  let k = 0;
  const compiled = compileWorkflow(sequentialHttp(url), { workflowId: 'w', kebabName: 'bench-seq', version: 1, displayName: 'seq', taskQueue: 'q' });
  const bundleKeyUs = await perCallUs(() => WorkflowBundler.keyOf([compiled]), 5, 5);
  return {
    resolveLiteralHttpConfigUs: await perCallUs(() => resolveTemplates(cloneJson(literal), fields, context as never, 'h1'), 2000),
    resolveTemplatedHttpConfigUs: await perCallUs(() => resolveTemplates(cloneJson(templated), fields, context as never, 'h1'), 2000),
    buildContextUs: await perCallUs(() => buildContext((k++ % 20) + 1), 2000),
    proxyActivitiesUs: await perCallUs(() => proxyActivities(options), 20_000),
    bundleKeyMs: bundleKeyUs / 1000,
  };
}
