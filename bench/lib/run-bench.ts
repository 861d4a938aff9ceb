/**
 * Benchmark 2: wall time of the same workflows run through the platform and hand-written on the
 * SDK, interleaved round by round (each round runs every variant once, in a rotating order, so
 * drift on a busy 2-core machine hits all variants alike).
 */
import type { Baseline } from './baseline.ts';
import { CpuMeter, type CpuSnapshot } from './cpu.ts';
import type { Platform } from './platform.ts';
import { median, now, summarize, type Summary } from './stats.ts';

export const VARIANTS = ['sdk', 'sdk+opts', 'wb-on', 'wb-on-nowrite', 'wb-on-nosink', 'wb-off'] as const;
export type Variant = (typeof VARIANTS)[number];
export type Shape = 'seq' | 'par';

export const VARIANT_DESCRIPTIONS: Record<Variant, string> = {
  sdk: 'hand-written SDK workflow, plain client.workflow.start',
  'sdk+opts': 'hand-written, started with the options startRun passes (memo, 6 search attributes, execution timeout)',
  'wb-on': 'platform, recordSteps on (startRun -> Postgres record final)',
  'wb-on-nowrite': 'platform, recordSteps on, wbRecordRun local activity runs but writes nothing (timed to Temporal close)',
  'wb-on-nosink': 'platform, recordSteps on, progress-sink writes to Postgres switched off',
  'wb-off': 'platform, recordSteps: false (startRun -> Temporal reports closed)',
};

export interface Sample {
  totalMs: number; startMs: number; resultMs: number; id: string;
  /** CPU ms from before the start to after the run's buffered progress is written. */
  cpu: CpuSnapshot;
}

export interface RunBenchResult {
  iterations: number;
  warmup: number;
  steps: number;
  samples: Record<Shape, Record<Variant, Sample[]>>;
  stats: Record<Shape, Record<Variant, {
    total: Summary; start: Summary; result: Summary; ratioOfMedians: number;
    /** Median over rounds of (this variant / sdk in the same round): robust to drift. */
    pairedRatio: number;
    /** Mean CPU ms per run. */
    cpu: CpuSnapshot & { total: number };
  }>>;
  /** wbRecordRun write durations (ms), per shape, wb-on runs only; and two statement groups inside it. */
  recordRun: Record<Shape, Summary>;
  recordRunParts: Record<Shape, { upsertSteps: Summary; updateStatistics: Summary }>;
  /**
   * Progress flushes of wb-on runs: those that started inside the timed window (count per run, ms
   * each) and the one written right after the run, outside the window.
   */
  progressFlushes: Record<Shape, { inWindowPerRun: number; inWindowMs: Summary; afterRunMs: Summary }>;
  /** Workflow ids kept for the replay benchmark (last runs of each). */
  workflowIds: Record<Shape, Record<Variant, string[]>>;
  wallSeconds: number;
}

export async function runRunBench(opts: {
  platform: Platform;
  baseline: Baseline;
  url: string;
  workflows: Record<Shape, string>;
  cpuMeter: CpuMeter;
  steps: number;
  iterations: number;
  warmup: number;
  onProgress?: (msg: string) => void;
}): Promise<RunBenchResult> {
  const { platform, baseline, url, workflows, steps } = opts;
  const started = now();
  const samples = { seq: {}, par: {} } as Record<Shape, Record<Variant, Sample[]>>;
  for (const shape of ['seq', 'par'] as const) for (const v of VARIANTS) samples[shape][v] = [];
  const recorder = platform.recorder;
  const flushesBefore = recorder.flushes.length;

  const runOne = async (shape: Shape, variant: Variant): Promise<Omit<Sample, 'cpu'>> => {
    if (variant === 'sdk' || variant === 'sdk+opts') {
      const r = await baseline.run(shape, `${url}/noop`, steps, variant === 'sdk+opts');
      return { totalMs: r.totalMs, startMs: r.startMs, resultMs: r.totalMs, id: r.workflowId };
    }
    recorder.progressEnabled = variant !== 'wb-on-nosink';
    platform.setRecordWrite(variant !== 'wb-on-nowrite');
    platform.setLabel(`${variant}/${shape}`);
    // With the final write switched off the record only turns final by a later progress flush:
    // that variant is timed to Temporal's close, like wb-off.
    const r = await platform.run(workflows[shape], variant !== 'wb-off', variant === 'wb-on' || variant === 'wb-on-nosink');
    return { totalMs: r.totalMs, startMs: r.startMs, resultMs: r.resultMs, id: r.temporalWorkflowId };
  };

  const total = opts.warmup + opts.iterations;
  for (let round = 0; round < total; round++) {
    const measured = round >= opts.warmup;
    for (const shape of ['seq', 'par'] as const) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const variant of order) {
        recorder.label = measured ? `${variant}/${shape}` : 'warmup';
        const cpu0 = opts.cpuMeter.snapshot();
        const sample = await runOne(shape, variant);
        // Progress still buffered is written now, outside the timed window, so that one run's
        // writes never land in the next run's window (steady state would overlap them).
        recorder.label = measured ? `after:${variant}/${shape}` : 'warmup';
        await recorder.flush();
        if (measured) samples[shape][variant].push({ ...sample, cpu: CpuMeter.delta(cpu0, opts.cpuMeter.snapshot()) });
        platform.setRecordWrite(true);
        recorder.progressEnabled = true;
      }
    }
    if (opts.onProgress && (round + 1) % 5 === 0) opts.onProgress(`round ${round + 1}/${total}`);
  }
  const flushLog = recorder.flushes.slice(flushesBefore);

  const stats = { seq: {}, par: {} } as RunBenchResult['stats'];
  const workflowIds = { seq: {}, par: {} } as RunBenchResult['workflowIds'];
  for (const shape of ['seq', 'par'] as const) {
    const base = median(samples[shape].sdk.map((s) => s.totalMs));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    for (const v of VARIANTS) {
      const list = samples[shape][v];
      const total = summarize(list.map((s) => s.totalMs));
      const cpu = {
        self: mean(list.map((s) => s.cpu.self)),
        temporal: mean(list.map((s) => s.cpu.temporal)),
        postgres: mean(list.map((s) => s.cpu.postgres)),
      };
      stats[shape][v] = {
        total,
        start: summarize(list.map((s) => s.startMs)),
        result: summarize(list.map((s) => s.resultMs)),
        ratioOfMedians: total.median / base,
        pairedRatio: median(list.map((s, i) => s.totalMs / samples[shape].sdk[i]!.totalMs)),
        cpu: { ...cpu, total: cpu.self + cpu.temporal + cpu.postgres },
      };
      workflowIds[shape][v] = list.slice(-15).map((s) => s.id);
    }
  }
  const recordRun = {
    seq: summarize((platform.recordRunSamples.get('wb-on/seq') ?? []).slice(-opts.iterations)),
    par: summarize((platform.recordRunSamples.get('wb-on/par') ?? []).slice(-opts.iterations)),
  };
  const partsOf = (shape: Shape) => {
    const p = recorder.parts.get(`wb-on/${shape}`) ?? { upsertSteps: [], updateStatistics: [] };
    return { upsertSteps: summarize(p.upsertSteps), updateStatistics: summarize(p.updateStatistics) };
  };
  const flushesOf = (shape: Shape) => {
    const inWindow = flushLog.filter((f) => f.label === `wb-on/${shape}`).map((f) => f.ms);
    const after = flushLog.filter((f) => f.label === `after:wb-on/${shape}`).map((f) => f.ms);
    return { inWindowPerRun: inWindow.length / opts.iterations, inWindowMs: summarize(inWindow), afterRunMs: summarize(after) };
  };
  return {
    iterations: opts.iterations, warmup: opts.warmup, steps, samples, stats, recordRun,
    recordRunParts: { seq: partsOf('seq'), par: partsOf('par') },
    progressFlushes: { seq: flushesOf('seq'), par: flushesOf('par') },
    workflowIds, wallSeconds: (now() - started) / 1000,
  };
}
