/**
 * CPU time used by the three parties of a run: this process (worker manager, Workers, client,
 * no-op HTTP server), the Temporal dev server, and Postgres (postmaster and its backends).
 * Unlike wall time it barely depends on what else the machine is running, so it still tells the
 * costs apart on a shared, busy 2-core machine. /proc ticks are 10 ms: use means over many runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

export interface CpuSnapshot { self: number; temporal: number; postgres: number }

interface ProcStat { pid: number; ppid: number; cpuMs: number; childrenMs: number }

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: state ppid ... utime stime cutime cstime
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(rest[1]), cpuMs: (Number(rest[11]) + Number(rest[12])) * TICK_MS, childrenMs: (Number(rest[13]) + Number(rest[14])) * TICK_MS };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; }
}

const pids = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);

export class CpuMeter {
  private constructor(private readonly temporalPid: number | undefined, private readonly postmasterPid: number | undefined) {}

  /** Finds the dev server listening on `temporalPort` and the postmaster on `pgPort`. */
  static find(temporalPort: number, pgPort: number): CpuMeter {
    let temporal: number | undefined;
    let postmaster: number | undefined;
    for (const pid of pids()) {
      const args = cmdline(pid);
      if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === String(temporalPort)) temporal = pid;
      if (args[0]?.endsWith('/postgres') && args[args.indexOf('-p') + 1] === String(pgPort)) postmaster = pid;
    }
    return new CpuMeter(temporal, postmaster);
  }

  get found(): { temporal: boolean; postgres: boolean } {
    return { temporal: this.temporalPid !== undefined, postgres: this.postmasterPid !== undefined };
  }

  snapshot(): CpuSnapshot {
    const u = process.cpuUsage();
    let postgres = 0;
    if (this.postmasterPid !== undefined) {
      for (const pid of pids()) {
        // The postmaster's own time plus its reaped children's, so backends that exit are kept.
        const s = pid === this.postmasterPid ? readStat(pid) : undefined;
        if (s) { postgres += s.cpuMs + s.childrenMs; continue; }
        const child = readStat(pid);
        if (child && child.ppid === this.postmasterPid) postgres += child.cpuMs;
      }
    }
    return {
      self: (u.user + u.system) / 1000,
      temporal: this.temporalPid === undefined ? 0 : (readStat(this.temporalPid)?.cpuMs ?? 0),
      postgres,
    };
  }

  static delta(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
    return { self: b.self - a.self, temporal: b.temporal - a.temporal, postgres: b.postgres - a.postgres };
  }
}
