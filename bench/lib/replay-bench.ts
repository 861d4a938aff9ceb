/**
 * Workflow-side CPU per run, isolated from the server and the activities: completed histories are
 * replayed (Worker.runReplayHistories) against the same bundles, so what is timed is only the
 * workflow code of every activation (for the platform: the runtime library, config and expression
 * resolution, the recorder, sink calls, a proxy per step, the wbRecordRun marker).
 */
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { PROGRESS_SINK } from '@workflow-builder/runtime/contract';
import { now, summarize, type Summary } from './stats.ts';

export interface ReplayResult {
  histories: number;
  replays: number;
  /**
   * CPU ms of this process per replayed run (all threads: the replay runs in the SDK's workflow
   * threads), which a busy shared machine disturbs far less than wall time; the first 5 replays of
   * a group are warm-up.
   */
  perRun: Summary;
  /** Wall ms per replayed run, for reference. */
  wall: Summary;
  /** Events in one history (median). */
  events: number;
  /** The timed replays (after warm-up), CPU ms and wall ms. */
  samples: number[];
  wallSamples: number[];
}

/** Replays each history `repeat` times through one replay Worker, timing each replay. */
export async function replayGroup(client: Client, code: string, workflowIds: readonly string[], name: string, repeat = 3): Promise<ReplayResult> {
  const histories: Array<{ workflowId: string; history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>> }> = [];
  for (const id of workflowIds) histories.push({ workflowId: id, history: await client.workflow.getHandle(id).fetchHistory() });
  const events = histories.map((h) => h.history.events?.length ?? 0).sort((a, b) => a - b)[histories.length >> 1] ?? 0;
  const times: number[] = [];
  const walls: number[] = [];
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  let t = now();
  let c = cpuMs();
  const results = Worker.runReplayHistories({
    workflowBundle: { code },
    replayName: name,
    sinks: { [PROGRESS_SINK]: { report: { fn: () => {}, callDuringReplay: false } } },
  }, Array.from({ length: repeat }, () => histories).flat());
  for await (const r of results) {
    if (r.error) throw new Error(`replay of ${r.workflowId} failed: ${r.error.message}`);
    const t2 = now();
    const c2 = cpuMs();
    walls.push(t2 - t);
    times.push(c2 - c);
    t = t2;
    c = c2;
  }
  const skip = times.length > 10 ? 5 : 0;
  const kept = times.slice(skip);
  const keptWall = walls.slice(skip);
  return { histories: histories.length, replays: kept.length, perRun: summarize(kept), wall: summarize(keptWall), events, samples: kept, wallSamples: keptWall };
}
