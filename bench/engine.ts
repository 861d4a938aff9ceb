/**
 * Engine benchmarks, all measured in one run against its own embedded Postgres and its own
 * in-memory Temporal dev server:
 *   1. compile time of generated 10 / 100 / 1,000-node definitions;
 *   2. wall time of a 20-step sequential and a 20-wide parallel http.request workflow through the
 *      platform against the same workflows hand-written on the SDK (recording on and off, plus
 *      variants that switch single costs off), with workflow-side CPU from history replay;
 *   3. deploy-to-first-run latency (cold process, bundle cache miss, bundle cache hit).
 *
 * Usage (from the repo root): node_modules/.bin/tsx bench/engine.ts [--iterations=30] [--warmup=5] [--pg=durable|fast] [--temporal=tuned|stock]
 * or: pnpm --filter bench run engine
 * Prints a table and writes bench/results/engine-<date>[-pg-fast][-temporal-stock].json. No timed assertions.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalBinary, withClient } from '@workflow-builder/devstack';
import { servedVersionsFrom } from '../apps/worker/src/versions.ts';
import { startBaseline } from './lib/baseline.ts';
import { runCompileBench, type CompileResult } from './lib/compile-bench.ts';
import { parallelHttp, sequentialHttp } from './lib/definitions.ts';
import { DEPLOY_CASE_DESCRIPTIONS, runDeployBench, type DeployBenchResult } from './lib/deploy-bench.ts';
import { runMicroBench, type MicroResult } from './lib/micro-bench.ts';
import { startPlatform } from './lib/platform.ts';
import { replayGroup, type ReplayResult } from './lib/replay-bench.ts';
import { patchedBundle, PATCHES } from './lib/attribution.ts';
import { CpuMeter } from './lib/cpu.ts';
import { runRunBench, VARIANT_DESCRIPTIONS, VARIANTS, type RunBenchResult, type Shape } from './lib/run-bench.ts';
import { startNoopServer, startServices } from './lib/services.ts';
import { now, round, summarize, table } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? process.env[`BENCH_${name.toUpperCase()}`] ?? fallback;
const iterations = Number(arg('iterations', '30'));
const warmup = Number(arg('warmup', '5'));
const pgMode = arg('pg', 'durable') === 'fast' ? 'fast' : 'durable';
const temporalMode = arg('temporal', 'tuned') === 'stock' ? 'stock' : 'tuned';
const STEPS = 20;
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function environment() {
  let temporalCli = 'unknown';
  try { temporalCli = execFileSync(temporalBinary(), ['--version'], { encoding: 'utf8' }).trim(); } catch { /* reported as unknown */ }
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    temporalCli,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
}

async function main(): Promise<void> {
  const started = now();
  const env = environment();
  log(`environment: ${JSON.stringify(env)}`);

  // 1. Compile (pure CPU; before any service runs, so nothing else competes for the cores).
  log('compile benchmark');
  const compile = runCompileBench();
  log('micro benchmarks');
  const micro = await runMicroBench('http://127.0.0.1:9');

  log(`starting embedded Postgres (${pgMode}) and the Temporal dev server (${temporalMode})`);
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const services = await startServices(pgMode, temporalMode);
  const server = await startNoopServer();
  const platform = await startPlatform(services.urls, services.temporal);
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  try {
    // 3 first: the cold case must be the first bundle this process builds.
    log('deploy-to-first-run benchmark');
    const deployProject = await platform.newProject();
    const deploy = await runDeployBench(platform, deployProject, server.url, { miss: 10, hit: 10 });

    // 2. Run overhead.
    log('deploying the run-benchmark workflows and bundling the SDK baseline');
    const project = await platform.newProject();
    const workflows: Record<Shape, string> = {
      seq: await platform.createWorkflow(project, 'bench-seq', sequentialHttp(server.url, STEPS)),
      par: await platform.createWorkflow(project, 'bench-par', parallelHttp(server.url, STEPS)),
    };
    await platform.deploy(workflows.seq);
    await platform.deploy(workflows.par);
    baseline = await startBaseline(services.temporal.address, services.temporal.namespace, platform.client);
    log(`run benchmark: ${warmup} warm-up + ${iterations} measured rounds x 2 shapes x ${VARIANTS.length} variants`);
    const cpuMeter = CpuMeter.find(Number(services.temporal.address.split(':').pop()), Number(new URL(services.urls.admin).port));
    if (!cpuMeter.found.temporal || !cpuMeter.found.postgres) log(`CPU meter: server processes not all found (${JSON.stringify(cpuMeter.found)})`);
    const runs = await runRunBench({ platform, baseline, url: server.url, workflows, cpuMeter, steps: STEPS, iterations, warmup, onProgress: log });

    log('replaying histories (workflow-side CPU)');
    const served = (await servedVersionsFrom(platform.db)()).filter((v) => v.projectId === project.projectId);
    const platformCode = await platform.bundler.bundle(served.map((v) => v.bundle));
    const patched: Record<string, string> = {};
    const skippedPatches: Record<string, string> = {};
    for (const patch of PATCHES) {
      const b = await patchedBundle(served.map((v) => v.bundle), patch);
      if ('code' in b) patched[patch.name] = b.code; else skippedPatches[patch.name] = b.skipped;
    }
    // Each group is replayed in two passes, forward then in reverse order, so that drift on a
    // shared machine does not favour the groups replayed first; samples of both passes are pooled.
    const groups: Array<{ key: string; code: string; ids: string[]; patch?: string }> = [];
    for (const shape of ['seq', 'par'] as const) {
      groups.push({ key: `sdk/${shape}`, code: baseline.code, ids: runs.workflowIds[shape].sdk });
      groups.push({ key: `wb-off/${shape}`, code: platformCode, ids: runs.workflowIds[shape]['wb-off'] });
      groups.push({ key: `wb-on/${shape}`, code: platformCode, ids: runs.workflowIds[shape]['wb-on'] });
      for (const [name, code] of Object.entries(patched)) groups.push({ key: `wb-on[${name}]/${shape}`, code, ids: runs.workflowIds[shape]['wb-on'], patch: name });
    }
    const passes: Array<Record<string, ReplayResult>> = [{}, {}];
    for (const [pass, order] of [groups, [...groups].reverse()].entries()) {
      for (const g of order) {
        try {
          passes[pass]![g.key] = await replayGroup(platform.client, g.code, g.ids, `replay-${pass}-${g.key.replace(/[^a-z0-9]/gi, '-')}`);
        } catch (e) {
          if (!g.patch) throw e;
          skippedPatches[g.patch] = `replay failed (${g.key}): ${e instanceof Error ? e.message : String(e)}`;
        }
      }
    }
    const replay: Record<string, ReplayResult> = {};
    for (const g of groups) {
      const a = passes[0]![g.key];
      const b = passes[1]![g.key];
      if (!a || !b) continue;
      replay[g.key] = {
        histories: a.histories, replays: a.replays + b.replays, events: a.events,
        perRun: summarize([...a.samples, ...b.samples]), wall: summarize([...a.wallSamples, ...b.wallSamples]), samples: [], wallSamples: [],
      };
    }

    const pgCounters = await withClient(services.urls.admin, async (c) => (await c.query<{ deadlocks: number; temp_files: number }>(
      'select deadlocks::int, temp_files::int from pg_stat_database where datname = current_database()')).rows[0]);
    const report = {
      environment: env,
      config: {
        iterations, warmup, steps: STEPS, pgMode, pgSettings: services.pgSettings,
        temporalMode, temporalDynamicConfig: services.temporalDynamicConfig, noopRequestsServed: server.requests(), pgCounters,
      },
      compile, micro, runs: { ...runs, samples: undefined, rawTotalsMs: rawTotals(runs) },
      replay, replayPatches: PATCHES.map((p) => ({ name: p.name, kind: p.kind, description: p.description, files: p.edits.map((e) => e.file), skipped: skippedPatches[p.name] ?? null })),
      deploy,
      loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)),
      wallSeconds: round((now() - started) / 1000, 1),
    };
    const text = render(report, runs, deploy, compile, micro, replay);
    // (the raw samples stay in `runs` for render; the JSON keeps only their totals)
    process.stdout.write(text + '\n');
    const dir = path.join(here, 'results');
    mkdirSync(dir, { recursive: true });
    const suffix = `${pgMode === 'fast' ? '-pg-fast' : ''}${temporalMode === 'stock' ? '-temporal-stock' : ''}`;
    const file = path.join(dir, `engine-${env.date.slice(0, 10)}${suffix}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await baseline?.close().catch((e: unknown) => console.error('baseline close failed', e));
    await platform.close().catch((e: unknown) => console.error('platform close failed', e));
    await server.close();
    await services.stop();
  }
}

function rawTotals(runs: RunBenchResult): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const shape of ['seq', 'par'] as const) for (const v of VARIANTS) out[`${v}/${shape}`] = runs.samples[shape][v].map((s) => round(s.totalMs));
  return out;
}

function render(
  report: { environment: ReturnType<typeof environment>; loadAverageAtEnd: number[]; config: { pgCounters?: { deadlocks: number }; pgMode: string; pgSettings: Record<string, string>; temporalMode: string; temporalDynamicConfig: Record<string, unknown> }; wallSeconds: number },
  runs: RunBenchResult, deploy: DeployBenchResult, compile: CompileResult[], micro: MicroResult, replay: Record<string, ReplayResult>,
): string {
  const e = report.environment;
  const out: string[] = [];
  out.push(`Workflow Builder engine benchmark  ${e.date}`);
  out.push(`nproc ${e.nproc} (${e.cpu}), ${e.memoryGiB} GiB, Node ${e.node}, ${e.temporalCli.split('\n')[0]}; load average ${e.loadAverageAtStart.join(' ')} at start, ${report.loadAverageAtEnd.join(' ')} at end`);
  out.push(`Postgres ${report.config.pgSettings.server_version ?? ''} ${report.config.pgMode}: fsync=${report.config.pgSettings.fsync} synchronous_commit=${report.config.pgSettings.synchronous_commit}`);
  out.push(`Temporal dev server ${report.config.temporalMode}: history.transferProcessorMaxPollRPS=${String(report.config.temporalDynamicConfig['history.transferProcessorMaxPollRPS'] ?? '20 (default)')}`);
  out.push('');
  out.push('1. Compile: compileWorkflow on generated definitions (median of N after warm-up; target 1,000 nodes < 200 ms)');
  out.push(table(['nodes', 'edges', 'runs', 'median ms', 'p90 ms', 'validate ms', 'structure ms', 'hash ms', 'code KiB', 'target'], compile.map((c) => [
    c.nodes, c.edges, c.runs, c.compile.median, c.compile.p90, c.parts.validateWorkflow.median, c.parts.analyzeStructure.median, c.parts.filesHash.median,
    round(c.codeBytes / 1024, 1), c.nodes === 1000 ? (c.compile.median < 200 ? 'met' : `MISSED by ${round(c.compile.median - 200, 1)} ms`) : '',
  ])));
  out.push('');
  out.push(`2. Run wall time, ${runs.steps} http.request steps to a local no-op server; ${runs.iterations} interleaved rounds after ${runs.warmup} warm-up (target wb-on/sdk <= 1.10)`);
  for (const [v, d] of Object.entries(VARIANT_DESCRIPTIONS)) out.push(`   ${v.padEnd(14)} ${d}`);
  for (const shape of ['seq', 'par'] as const) {
    out.push('');
    out.push(shape === 'seq' ? `   ${runs.steps}-step sequential` : `   ${runs.steps}-wide parallel`);
    out.push(table(['variant', 'median ms', 'p90 ms', 'min ms', 'ratio of medians', 'paired ratio', 'start median', 'CPU ms/run: worker', 'temporal', 'postgres', 'total'], VARIANTS.map((v) => {
      const s = runs.stats[shape][v];
      return [v, s.total.median, s.total.p90, s.total.min, round(s.ratioOfMedians, 3), round(s.pairedRatio, 3), s.start.median,
        round(s.cpu.self, 1), round(s.cpu.temporal, 1), round(s.cpu.postgres, 1), round(s.cpu.total, 1)];
    })));
    const st = runs.stats[shape];
    const on = st['wb-on'].total.median;
    const r = runs.recordRun[shape];
    const rparts = runs.recordRunParts[shape];
    const f = runs.progressFlushes[shape];
    const rp = (k: string) => replay[`${k}/${shape}`]!.perRun.median;
    out.push(`   wb-on / sdk = ${round(st['wb-on'].ratioOfMedians, 3)} ratio of medians, ${round(st['wb-on'].pairedRatio, 3)} paired (${st['wb-on'].ratioOfMedians <= 1.10 ? 'target met' : `target MISSED by ${round((st['wb-on'].ratioOfMedians - 1.10) * 100, 1)} points`}); wb-off / sdk = ${round(st['wb-off'].ratioOfMedians, 3)} (${round(st['wb-off'].pairedRatio, 3)} paired)`);
    const c = (v: (typeof VARIANTS)[number]) => st[v].cpu;
    out.push(`   CPU per run, total of the 3 processes (means, ms): sdk ${round(c('sdk').total, 1)}, wb-off ${round(c('wb-off').total, 1)} (+${round(c('wb-off').total - c('sdk').total, 1)}), wb-on ${round(c('wb-on').total, 1)} (+${round(c('wb-on').total - c('sdk').total, 1)}); recording costs worker ${round(c('wb-on').self - c('wb-off').self, 1)}, postgres ${round(c('wb-on').postgres - c('wb-off').postgres, 1)}, temporal ${round(c('wb-on').temporal - c('wb-off').temporal, 1)}`);
    out.push('   where the platform time goes (differences of medians, ms):');
    out.push(`     total overhead wb-on - sdk              ${round(on - st.sdk.total.median)}`);
    out.push(`     recording (wb-on - wb-off)              ${round(on - st['wb-off'].total.median)}`);
    out.push(`       final wbRecordRun write (to Temporal close: wb-on - wb-on-nowrite)  ${round(st['wb-on'].result.median - st['wb-on-nowrite'].result.median)}   [the write itself: median ${round(r.median)} ms, p90 ${round(r.p90)}; of which steps upsert ${round(rparts.upsertSteps.median)}, statistics ${round(rparts.updateStatistics.median)}]`);
    out.push(`       progress-sink writes (wb-on - wb-on-nosink)      ${round(on - st['wb-on-nosink'].total.median)}   [${round(f.inWindowPerRun, 2)} flushes per run in the window, median ${round(f.inWindowMs.median)} ms; after-run flush median ${round(f.afterRunMs.median)} ms]`);
    out.push(`     not recording (wb-off - sdk)            ${round(st['wb-off'].total.median - st.sdk.total.median)}`);
    out.push(`       start options (sdk+opts - sdk)        ${round(st['sdk+opts'].total.median - st.sdk.total.median)}`);
    out.push(`       startRun's Postgres work (start wb-off - start sdk+opts)  ${round(st['wb-off'].start.median - st['sdk+opts'].start.median)}`);
    out.push(`     slowest wb-on runs: ${runs.samples[shape]['wb-on'].map((x) => x.totalMs).sort((a, b) => b - a).slice(0, 3).map((x) => round(x, 0)).join(', ')} ms; slowest progress flush in a run window: ${round(f.inWindowMs.max, 0)} ms; Postgres deadlocks during the whole benchmark: ${report.config.pgCounters?.deadlocks ?? '?'}`);
    out.push(`     workflow-side CPU per run (replay, CPU ms): sdk ${round(rp('sdk'))}, wb-off ${round(rp('wb-off'))}, wb-on ${round(rp('wb-on'))} ms (history events: sdk ${replay[`sdk/${shape}`]!.events}, wb-on ${replay[`wb-on/${shape}`]!.events})`);
    for (const p of PATCHES) {
      const r2 = replay[`wb-on[${p.name}]/${shape}`];
      out.push(`       wb-on replayed with runtime patch ${p.name} (${p.kind}): ${r2 ? `${round(r2.perRun.median)} ms (${round(r2.perRun.median - rp('wb-on'))} ms per run)` : 'patch not applicable'}`);
    }
  }
  out.push('');
  out.push('   per-step pieces in plain Node (µs): ' + [
    `resolve literal http config ${round(micro.resolveLiteralHttpConfigUs, 1)}`,
    `resolve templated config (3 templates) ${round(micro.resolveTemplatedHttpConfigUs, 1)}`,
    `build expression context ${round(micro.buildContextUs, 1)}`,
    `proxyActivities() ${round(micro.proxyActivitiesUs, 2)}`,
  ].join(', '));
  out.push(`   worker manager: bundle cache key (WorkflowBundler.keyOf) for one version ${round(micro.bundleKeyMs, 1)} ms, computed per project on every reconcile`);
  out.push('');
  out.push('3. Deploy to first run final (ms)');
  out.push(table(['case', 'n', 'total median', 'total max', 'deployWorkflow', 'pickup', '- bundle', '- Worker.create', 'first run', 'bundle built', 'stalled first runs'], (['cold', 'miss', 'hit'] as const).map((k) => {
    const s = deploy.stats[k];
    const built = deploy.samples.filter((x) => x.case === k && x.built).length;
    return [k, s.total.n, s.total.median, s.total.max, s.deploy.median, s.pickup.median, s.bundle.median, s.workerCreate.median, s.firstRun.median, `${built}/${s.total.n}`, `${s.stalledFirstRuns}/${s.total.n}`];
  })));
  for (const s of deploy.samples.filter((x) => x.firstRunTaskTimeouts + x.firstRunTaskFailures > 0)) {
    out.push(`   ! v${s.version} (${s.case}): first run took ${round(s.firstRunMs)} ms: ${s.firstRunTaskTimeouts} workflow task timeout(s), ${s.firstRunTaskFailures} failure(s); stalled on ${s.firstRunStalledOn.join(', ')}; completed by ${s.firstRunCompletedBy}`);
  }
  for (const [k, d] of Object.entries(DEPLOY_CASE_DESCRIPTIONS)) out.push(`   ${k.padEnd(5)} ${d}`);
  out.push('');
  out.push(`wall time ${report.wallSeconds} s`);
  return out.join('\n');
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
