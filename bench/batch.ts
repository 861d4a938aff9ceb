/**
 * Batch benchmark: N items (default 10,000) over a 1-step sync blueprint, against starting the same
 * workflow N times one by one from a script (same concurrency, same in-process worker), in one run
 * against its own embedded Postgres and Temporal dev server.
 *
 * Prints items/second of both, their ratio, the peak RSS of this process (it is the worker: the
 * project Worker, the platform Worker and the clients), and the orchestrator's chain: runs, history
 * events and bytes per run.
 *
 * Usage (from the repo root): node_modules/.bin/tsx bench/batch.ts [--items=10000] [--concurrency=10] [--pg=durable|fast] [--temporal=tuned|stock]
 * or: pnpm --filter bench run batch
 * Writes bench/results/batch-<date>[-<items>].json. No timed assertions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createClient, withPg } from '@workflow-builder/db/test-helpers';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { createBatch, startRun } from '@workflow-builder/engine';
import { batchWorkflowIdOf } from '@workflow-builder/runtime/batch-contract';
// The worker app exports no entry point; its modules are imported by path (read-only use).
import { PlatformWorker } from '../apps/worker/src/batch/platform-worker.ts';
import { startPlatform } from './lib/platform.ts';
import { startServices } from './lib/services.ts';
import { now, round, table } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? process.env[`BENCH_${name.toUpperCase()}`] ?? fallback;
const ITEMS = Number(arg('items', '10000'));
const CONCURRENCY = Number(arg('concurrency', '10'));
const pgMode = arg('pg', 'durable') === 'fast' ? 'fast' : 'durable';
const temporalMode = arg('temporal', 'tuned') === 'stock' ? 'stock' : 'tuned';
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const at = (x: number) => ({ x, y: 0 });
/** trigger -> transform -> end: a step that does no I/O, so the figures are the orchestration's. */
const touch: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'shape', kind: 'transform', label: 'Shape', config: { mapping: { n: '{{ input.n }}', seen: 'yes' } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { shaped: '{{ steps.shape.output }}' } }, position: at(2) },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'done' },
  ],
};

/** Peak resident set of this process, sampled every 250 ms (and the kernel's maxrss). */
class RssMeter {
  peak = 0;
  private timer = setInterval(() => this.sample(), 250);
  sample() { this.peak = Math.max(this.peak, process.memoryUsage().rss); }
  stop() { clearInterval(this.timer); this.sample(); return { sampledPeakMiB: round(this.peak / 2 ** 20, 1), maxRssMiB: round(process.resourceUsage().maxRSS / 1024, 1) }; }
}

async function main(): Promise<void> {
  log(`environment: ${os.cpus().length} cpus, ${round(os.totalmem() / 2 ** 30, 1)} GiB, node ${process.version}; ${ITEMS} items, concurrency ${CONCURRENCY}`);
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const services = await startServices(pgMode, temporalMode);
  const platform = await startPlatform(services.urls, services.temporal);
  const taskQueue = 'wb-platform-bench';
  const platformWorker = new PlatformWorker({
    db: platform.db, connection: await NativeConnection.connect({ address: services.temporal.address }), namespace: services.temporal.namespace,
    taskQueue, publicApiUrl: 'http://127.0.0.1:9',
  });
  await platformWorker.start();
  const rss = new RssMeter();
  try {
    const project = await platform.newProject();
    const workflowId = await platform.createWorkflow(project, 'bench-touch', touch);
    await platform.deploy(workflowId);
    const orgId = platform.caller.orgId!;
    const clientId = await withPg(services.urls.admin, (c) => createClient(c, orgId, 'Bench client'));
    await withPg(services.urls.admin, (c) => c.query(
      `insert into public.enrichment_registry (org_id, slug, workstream_slug, name, type, workflow_id) values ($1, 'touch', $2, 'Touch', 'sync', $3)`,
      [orgId, project.workstreamSlug, workflowId]));
    const items = Array.from({ length: ITEMS }, (_, n) => ({ n }));

    // 1. The batch.
    log(`batch: ${ITEMS} items`);
    const t0 = now();
    const batch = await createBatch(platform.apiDb, platform.client, platform.caller,
      { clientId, workstreamSlug: project.workstreamSlug, blueprint: ['touch'], items, concurrency: CONCURRENCY }, { taskQueue });
    const created = now();
    let last = 0;
    for (;;) {
      const r = (await sql<{ status: string; completed_items: number; failed_items: number }>`
        select status, completed_items, failed_items from public.batches where id = ${batch.batchId}`.execute(platform.db)).rows[0]!;
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status)) {
        if (r.status !== 'COMPLETED') throw new Error(`batch ended ${r.status} (${r.failed_items} failed)`);
        break;
      }
      if (Math.floor(r.completed_items / 1000) !== Math.floor(last / 1000)) log(`  ${r.completed_items} / ${ITEMS}`);
      last = r.completed_items;
      await new Promise((res) => setTimeout(res, 200));
    }
    const batchMs = now() - t0;
    const batchRss = rss.stop();
    log(`batch done in ${round(batchMs / 1000, 1)} s (create ${round(created - t0)} ms)`);

    // The orchestrator's chain: one run per continue-as-new.
    const chain: Array<{ runId: string; status: string; historyLength: number; historySizeBytes: number }> = [];
    for await (const w of platform.client.workflow.list({ query: `WorkflowId = '${batchWorkflowIdOf(batch.batchId)}'` })) {
      const d = await platform.client.workflow.getHandle(w.workflowId, w.runId).describe();
      chain.push({ runId: w.runId, status: w.status.name, historyLength: d.historyLength, historySizeBytes: Number(d.historySize ?? 0) });
    }

    // 2. The same workflow started N times from a script, CONCURRENCY at a time.
    const rss2 = new RssMeter();
    log(`one by one: ${ITEMS} runs, ${CONCURRENCY} at a time`);
    const t1 = now();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < ITEMS) {
        const n = next++;
        const r = await startRun(platform.apiDb, platform.client, platform.caller, { workflowId, input: { n }, channel: 'api', clientId });
        await platform.client.workflow.getHandle(r.temporalWorkflowId, r.temporalRunId).result();
        if ((n + 1) % 1000 === 0) log(`  ${n + 1} / ${ITEMS}`);
      }
    }));
    const directMs = now() - t1;
    const directRss = rss2.stop();

    const batchRate = ITEMS / (batchMs / 1000);
    const directRate = ITEMS / (directMs / 1000);
    const result = {
      date: new Date().toISOString(), items: ITEMS, concurrency: CONCURRENCY, pgMode, temporalMode,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: round(os.totalmem() / 2 ** 30, 1), loadAverage: os.loadavg().map((x) => round(x, 2)) },
      batch: { seconds: round(batchMs / 1000, 1), itemsPerSecond: round(batchRate, 1), rss: batchRss },
      oneByOne: { seconds: round(directMs / 1000, 1), runsPerSecond: round(directRate, 1), rss: directRss },
      ratio: round(batchRate / directRate, 2),
      chain: { runs: chain.length, maxHistoryLength: Math.max(...chain.map((c) => c.historyLength)), maxHistorySizeBytes: Math.max(...chain.map((c) => c.historySizeBytes)) },
    };
    process.stdout.write(`\n${table(['', 'seconds', 'items/s', 'peak RSS (MiB, sampled / maxrss)'], [
      ['batch (1 sync step)', result.batch.seconds, result.batch.itemsPerSecond, `${batchRss.sampledPeakMiB} / ${batchRss.maxRssMiB}`],
      ['one by one', result.oneByOne.seconds, result.oneByOne.runsPerSecond, `${directRss.sampledPeakMiB} / ${directRss.maxRssMiB}`],
    ])}\nbatch / one-by-one: ${result.ratio}x\norchestrator chain: ${chain.length} runs, max ${result.chain.maxHistoryLength} events, max ${round(result.chain.maxHistorySizeBytes / 1024, 1)} KiB per run\n`);
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', `batch-${result.date.slice(0, 10)}${ITEMS === 10_000 ? '' : `-${ITEMS}`}.json`), JSON.stringify({ ...result, chainRuns: chain }, null, 2));
  } finally {
    await platformWorker.stop();
    await platform.close();
    await services.stop();
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
