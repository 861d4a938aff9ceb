/**
 * CPU time of process trees from /proc (Linux), to say which process a benchmark's CPU went to:
 * the API, the worker, Postgres, the load generator, or something else on the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcInfo { pid: number; ppid: number; comm: string; cpuMs: number }

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // f[0] = state (field 3); utime = field 14, stime = field 15, ppid = field 4
    return { pid, ppid: Number(f[1]), comm, cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return null;
  }
}

function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** `root` and every descendant. */
export function treePids(root: number, procs = allProcs()): number[] {
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The postmaster listening on `port` (matched on its command line). */
export function postmasterPid(port: number): number | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('/postgres') && cmd.includes('-p') && cmd[cmd.indexOf('-p') + 1] === String(port)) return Number(name);
    } catch { /* gone */ }
  }
  return null;
}

/** The first process named `comm` among the descendants of this process. */
export function childNamed(comm: string): number | null {
  const procs = allProcs();
  const mine = new Set(treePids(process.pid, procs));
  return procs.find((p) => mine.has(p.pid) && p.comm === comm)?.pid ?? null;
}

/** Busy and total CPU time of the whole machine (all cores), in ms. */
function machineCpu(): { busyMs: number; totalMs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: busy * TICK_MS, totalMs: (busy + idle + iowait) * TICK_MS };
}

export interface CpuSplit {
  wallMs: number;
  /** CPU ms per group (a share of one core is cpuMs / wallMs). */
  groups: Record<string, number>;
  /** Everything else that ran on the machine meanwhile. */
  otherMs: number;
  machineBusyMs: number;
  machineTotalMs: number;
}

/**
 * Snapshots CPU time of named process trees (re-reading the trees at the end, so processes
 * started meanwhile, such as new Postgres backends, count) and of the whole machine.
 */
export class CpuMeter {
  private start = new Map<number, number>();
  private machine0 = machineCpu();
  private t0 = performance.now();

  /** Roots whose whole process tree counts; 'self' is this process alone (not its children). */
  constructor(private readonly roots: Record<string, number | 'self'>) {
    for (const p of allProcs()) this.start.set(p.pid, p.cpuMs);
  }

  stop(): CpuSplit {
    const procs = allProcs();
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    const groups: Record<string, number> = {};
    let counted = 0;
    for (const [name, root] of Object.entries(this.roots)) {
      const pids = root === 'self' ? [process.pid] : root < 0 ? [] : treePids(root, procs);
      let ms = 0;
      for (const pid of pids) {
        const p = byPid.get(pid);
        if (p) ms += p.cpuMs - (this.start.get(pid) ?? 0);
      }
      groups[name] = ms;
      counted += ms;
    }
    const m = machineCpu();
    const machineBusyMs = m.busyMs - this.machine0.busyMs;
    return {
      wallMs: performance.now() - this.t0,
      groups,
      otherMs: Math.max(0, machineBusyMs - counted),
      machineBusyMs,
      machineTotalMs: m.totalMs - this.machine0.totalMs,
    };
  }
}

/** What else is using the CPU now (top processes by CPU over `ms`), to report a noisy machine. */
export async function busiestProcesses(ms = 2000, top = 5): Promise<Array<{ pid: number; comm: string; cores: number }>> {
  const before = new Map(allProcs().map((p) => [p.pid, p.cpuMs]));
  await new Promise((r) => setTimeout(r, ms));
  return allProcs()
    .map((p) => ({ pid: p.pid, comm: p.comm, cores: (p.cpuMs - (before.get(p.pid) ?? p.cpuMs)) / ms }))
    .filter((p) => p.cores > 0.02)
    .sort((a, b) => b.cores - a.cores)
    .slice(0, top);
}

/**
 * Waits (at most `maxWaitMs`) until the rest of the machine uses less than `threshold` cores over
 * 3 s, so a benchmark does not start in the middle of someone else's build. Returns what was busy
 * at the last look (reported with the results either way).
 */
export async function waitForQuiet(maxWaitMs: number, threshold = 0.3, log: (m: string) => void = () => {}): Promise<{ waitedMs: number; busy: Array<{ pid: number; comm: string; cores: number }> }> {
  const t0 = Date.now();
  for (;;) {
    const busy = await busiestProcesses(3000, 8);
    const total = busy.filter((p) => p.pid !== process.pid).reduce((s, p) => s + p.cores, 0);
    if (total < threshold || Date.now() - t0 > maxWaitMs) return { waitedMs: Date.now() - t0, busy };
    log(`machine busy (${total.toFixed(2)} cores: ${busy.map((p) => `${p.comm}:${p.cores.toFixed(2)}`).join(' ')}); waiting`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}
