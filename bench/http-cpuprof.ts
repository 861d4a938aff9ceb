/**
 * Summarises V8 .cpuprofile files (node --cpu-prof, as written by `bench/http.ts --api-cpu-prof`):
 * self time by package (node_modules/<name>, the app's own sources, node internals, GC, idle) and
 * the top functions.
 *
 * Usage: node_modules/.bin/tsx bench/http-cpuprof.ts <file.cpuprofile>... [--top=40]
 */
import { readFileSync } from 'node:fs';

interface Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export function summariseProfile(file: string, topN = 40) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const groupOf = (url: string, fn: string): string => {
    if (fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)') return fn;
    if (!url) return '(native)';
    if (url.startsWith('node:')) return 'node internals';
    const m = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url) ?? /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) return m[1]!;
    const app = /\/work\/main\/(apps\/[^/]+|packages\/[^/]+)\//.exec(url) ?? /\/(apps\/[^/]+|packages\/[^/]+)\//.exec(url);
    return app ? app[1]! : url;
  };
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const g = groupOf(n.callFrame.url, n.callFrame.functionName);
    groups.set(g, (groups.get(g) ?? 0) + ms);
    const short = n.callFrame.url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${short}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    total += ms;
  }
  const busy = total - (groups.get('(idle)') ?? 0);
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), pctOfBusy: Math.round((ms / busy) * 1000) / 10 }));
  return { file, totalMs: Math.round(total), busyMs: Math.round(busy), groups: top(groups, 25), functions: top(fns, topN) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 40);
  for (const f of process.argv.slice(2).filter((a) => !a.startsWith('--'))) console.log(JSON.stringify(summariseProfile(f, top), null, 2));
}
