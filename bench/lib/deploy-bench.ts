/**
 * Benchmark 3: deploy-to-first-run latency. From calling deployWorkflow for a new version (the
 * definition changed, so a new version is compiled) to the first run of that version being final
 * in Postgres: compile + store + activate, NOTIFY, the worker manager's reconcile, bundling,
 * Worker.create, then startRun and the run itself.
 */
import { compileWorkflow } from '@workflow-builder/compiler';
import type { TestProject } from '@workflow-builder/db/test-helpers';
import { sequentialHttp } from './definitions.ts';
import { workerCreateTimes, type Platform } from './platform.ts';
import { summarize, type Summary } from './stats.ts';

export type DeployCase = 'cold' | 'miss' | 'hit';

export const DEPLOY_CASE_DESCRIPTIONS: Record<DeployCase, string> = {
  cold: 'first deploy in a fresh worker process: empty bundle cache, webpack not loaded yet (one sample)',
  miss: 'new version in a warm process: the bundle is not cached, webpack builds it (every real deploy)',
  hit: 'new version whose bundle is already in the bundler cache (e.g. another replica or a restart built it)',
};

export interface DeploySample {
  case: DeployCase;
  version: number;
  /** deployWorkflow transaction (compile, store, activate). */
  deployMs: number;
  /** Until the manager serves the version: NOTIFY, reconcile, bundle, Worker.create. */
  pickupMs: number;
  /** The bundle() call inside the pickup, and whether it built. */
  bundleMs: number;
  built: boolean;
  /** The manager's NativeConnection.connect and Worker.create for the new Worker. */
  connectMs: number;
  workerCreateMs: number;
  /** startRun until the first run's record is final. */
  firstRunMs: number;
  /** Workflow tasks of the first run that timed out or failed, and the worker identities that had started them. */
  firstRunTaskTimeouts: number;
  firstRunTaskFailures: number;
  firstRunStalledOn: string[];
  /** Identity of the Worker that completed the run's last workflow task. */
  firstRunCompletedBy: string;
  totalMs: number;
}

export interface DeployBenchResult {
  samples: DeploySample[];
  stats: Record<DeployCase, { total: Summary; deploy: Summary; pickup: Summary; bundle: Summary; workerCreate: Summary; firstRun: Summary; stalledFirstRuns: number }>;
}

/** trigger -> one http.request -> end; the end value changes per version so each deploy compiles a new one. */
const definitionFor = (url: string, i: number) => sequentialHttp(url, 1, `v${i}`);

/** Workflow-task timeouts/failures in a run's history, and which Worker had started the stalled tasks. */
async function workflowTaskTrouble(platform: Platform, temporalWorkflowId: string) {
  const history = await platform.client.workflow.getHandle(temporalWorkflowId).fetchHistory();
  const started = new Map<string, string>();
  let timeouts = 0;
  let failures = 0;
  let completedBy = '';
  const stalledOn: string[] = [];
  for (const e of history.events ?? []) {
    if (e.workflowTaskStartedEventAttributes) started.set(String(e.eventId), e.workflowTaskStartedEventAttributes.identity ?? '');
    const timedOut = e.workflowTaskTimedOutEventAttributes;
    const failed = e.workflowTaskFailedEventAttributes;
    const completed = e.workflowTaskCompletedEventAttributes;
    if (timedOut) { timeouts++; stalledOn.push(started.get(String(timedOut.startedEventId)) ?? '?'); }
    if (failed) { failures++; stalledOn.push(`${started.get(String(failed.startedEventId)) ?? '?'} (${String(failed.cause)})`); }
    if (completed) completedBy = completed.identity ?? started.get(String(completed.startedEventId)) ?? '';
  }
  return { firstRunTaskTimeouts: timeouts, firstRunTaskFailures: failures, firstRunStalledOn: stalledOn, firstRunCompletedBy: completedBy };
}

export async function runDeployBench(platform: Platform, project: TestProject, url: string, opts: { miss: number; hit: number }): Promise<DeployBenchResult> {
  const samples: DeploySample[] = [];
  const workflowId = await platform.createWorkflow(project, 'deploy-bench', definitionFor(url, 0));
  const plan: DeployCase[] = ['cold', ...Array<DeployCase>(opts.miss).fill('miss'), ...Array<DeployCase>(opts.hit).fill('hit')];
  let version = 0;
  for (let i = 0; i < plan.length; i++) {
    const kind = plan[i]!;
    await platform.saveDefinition(workflowId, definitionFor(url, i));
    if (kind === 'hit') {
      // Build the bundle of exactly what the manager will serve after this deploy (the next
      // version alone: the previous one has no open run), outside the timed window.
      const compiled = compileWorkflow(definitionFor(url, i), {
        workflowId, kebabName: 'deploy-bench', version: version + 1, displayName: 'deploy-bench', taskQueue: project.taskQueueName,
      });
      await platform.bundler.bundle([compiled]);
    }
    const events = platform.bundler.events.length;
    const creates = workerCreateTimes.length;
    const connects = platform.connectTimes.length;
    const d = await platform.deploy(workflowId);
    version = d.version;
    const run = await platform.run(workflowId, true);
    const bundle = platform.bundler.events.slice(events).at(-1);
    const tasks = await workflowTaskTrouble(platform, run.temporalWorkflowId);
    samples.push({
      case: kind, version: d.version, deployMs: d.deployMs, pickupMs: d.pickupMs,
      bundleMs: bundle?.ms ?? Number.NaN, built: bundle?.built ?? false,
      connectMs: platform.connectTimes.slice(connects).at(-1) ?? Number.NaN,
      workerCreateMs: workerCreateTimes.slice(creates).at(-1) ?? Number.NaN,
      firstRunMs: run.totalMs, ...tasks, totalMs: d.deployMs + d.pickupMs + run.totalMs,
    });
    await platform.recorder.flush();
  }
  const stats = {} as DeployBenchResult['stats'];
  for (const kind of ['cold', 'miss', 'hit'] as const) {
    const list = samples.filter((s) => s.case === kind);
    stats[kind] = {
      total: summarize(list.map((s) => s.totalMs)),
      deploy: summarize(list.map((s) => s.deployMs)),
      pickup: summarize(list.map((s) => s.pickupMs)),
      bundle: summarize(list.map((s) => s.bundleMs)),
      workerCreate: summarize(list.map((s) => s.workerCreateMs)),
      stalledFirstRuns: list.filter((s) => s.firstRunTaskTimeouts + s.firstRunTaskFailures > 0).length,
      firstRun: summarize(list.map((s) => s.firstRunMs)),
    };
  }
  return { samples, stats };
}
