/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Editor benchmarks in Debian's Chromium (headless, software rendering: --disable-gpu) against the
 * whole product (bench/lib-stack.ts: API, worker, `vite build` + `vite preview`):
 *
 * 1. Time to interactive of `/orgs/:orgId/workflows/:id` with 500 and 2,000 nodes (valid
 *    definitions created through the API), in a fresh browser context each time (cold HTTP cache,
 *    signed in by the session cookie). Measured inside the page against navigation start:
 *      - rendered: the first animation frame in which every one of the N `.react-flow__node`
 *        elements exists, has been measured by React Flow (it hides nodes until it knows their
 *        size: `visibility: visible`) and fitView has moved the viewport;
 *      - click: right after that, Playwright clicks (real CDP mouse input) the centre of a node that
 *        is on screen and not covered; the click latency is from the mousedown event's timestamp
 *        to the frame in which that node shows `.is-selected`;
 *      - time to interactive (TTI) = rendered + click latency (the harness' own round trip between
 *        the two is left out); also the raw time at which the selection showed;
 *      - settled: the validation strip says "No problems" (the editor validates through the API
 *        600 ms after load), and the click latency after that (median of 3 other nodes).
 * 2. Frames per second while panning: a scripted mouse drag on the empty pane (left button held,
 *    the mouse moving on a sine path for 3 s, each move dispatched as soon as the renderer took the
 *    previous one), counting requestAnimationFrame callbacks between mousedown and mouseup, at
 *    the fitView zoom (every node on screen) and at 100% zoom.
 *
 * Usage (repo root): node_modules/.bin/tsx bench/browser.ts [--iterations=5] [--sizes=500,2000]
 *   [--profile]   (one extra load per size with a CDP CPU profile, on an unminified build:
 *                  self time by function, written to bench/results/browser-profile-*.json)
 * Writes bench/results/browser-<date>.json and prints tables. No timed assertions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createProject, createWorkflow, gridDefinition, signUp, type Account } from './http-fixtures.ts';
import { busiestProcesses, waitForQuiet } from './http-proc.ts';
import { previewWeb, startStack } from './lib-stack.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ITERATIONS = Number(arg('iterations', '5'));
const SIZES = arg('sizes', '500,2000').split(',').map(Number);
const PROFILE = process.argv.includes('--profile');
/** A patched copy of apps/web to measure instead (A/B of a proposed fix); its name goes in the results file name. */
const WEB_DIR = arg('web-dir', '');
const LABEL = arg('label', '');
const PAN_MS = 3000;
const VIEWPORT = { width: 1440, height: 900 };
const log = (msg: string) => process.stderr.write(`[browser ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const r0 = (x: number) => Math.round(x);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Installed before the app's scripts: frame loop that detects "rendered", and input/long-task logs. */
const INIT_SCRIPT = (expected: number) => `
(() => {
  const b = window.__bench = { expected: ${expected}, marks: {}, longTasks: [], frames: null, transforms: null, downAt: null, selectedAt: null, selectedPaintAt: null, watch: null };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  window.addEventListener('mousedown', (e) => { b.downAt = e.timeStamp; }, true);
  const identity = (t) => !t || t === 'none' || /^translate\\(0px, 0px\\) scale\\(1\\)$/.test(t);
  // Marks use performance.now() inside the frame callback (the callback's own argument is the
  // frame's start, which precedes input handled in that frame); "painted" marks are the first task
  // after that frame's rendering steps (a message posted from the frame callback).
  const afterPaint = (set) => { const ch = new MessageChannel(); ch.port1.onmessage = () => set(performance.now()); ch.port2.postMessage(0); };
  const tick = () => {
    const now = performance.now();
    const m = b.marks;
    const container = document.querySelector('.react-flow__nodes');
    const count = container ? container.childElementCount : 0;
    if (m.canvas === undefined && document.querySelector('.react-flow')) m.canvas = now;
    if (m.firstNode === undefined && count > 0) m.firstNode = now;
    if (m.allNodes === undefined && count >= b.expected) m.allNodes = now;
    if (m.allNodes !== undefined && m.measured === undefined) {
      let hidden = 0;
      for (const el of container.children) if (el.style.visibility === 'hidden') { hidden++; break; }
      if (hidden === 0) m.measured = now;
    }
    if (m.measured !== undefined && m.rendered === undefined) {
      const vp = document.querySelector('.react-flow__viewport');
      if (vp && !identity(vp.style.transform)) {
        m.rendered = now;
        afterPaint((t) => { m.renderedPainted = t; });
      }
    }
    if (m.settled === undefined) {
      const s = document.querySelector('.problems-panel [role=status]');
      if (s && s.textContent === 'No problems' && m.rendered !== undefined) m.settled = now;
      if (s && /problem/.test(s.textContent) && s.textContent !== 'No problems') m.problems = s.textContent;
    }
    if (b.watch) {
      const el = document.querySelector('[data-testid="node-' + CSS.escape(b.watch) + '"]');
      if (el && el.classList.contains('is-selected') && b.selectedAt === null) {
        b.selectedAt = now;
        afterPaint((t) => { b.selectedPaintAt = t; });
      }
    }
    if (b.frames) { b.frames.push(now); const vp = document.querySelector('.react-flow__viewport'); b.transforms.push(vp ? vp.style.transform : ''); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
`;

interface LoadResult {
  nodes: number;
  /** ms since navigation start */
  marks: Record<string, number | string>;
  clickLatencyMs: number;
  ttiMs: number;
  selectedAtMs: number;
  settledClickLatencyMs: number[];
  longTasksUntilRendered: { count: number; totalMs: number; longestMs: number };
  longTasksUntilSettled: { count: number; totalMs: number; longestMs: number };
  workflowFetch: { startMs: number; endMs: number; bytes: number } | null;
  jsBytes: number;
  domNodes: number;
  jsHeapMB: number | null;
  pan: Record<string, PanResult>;
}

interface PanResult {
  zoom: number;
  fps: number;
  frames: number;
  durationMs: number;
  frameMs: { p50: number; p95: number; max: number };
  moves: number;
  /** Frames whose viewport transform differed from the previous frame's: the pan really moved. */
  movedFrames: number;
  visibleNodes: number;
}

async function main(): Promise<void> {
  const env = {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
  log(`environment: ${JSON.stringify(env)}`);
  const quiet = await waitForQuiet(Number(arg('wait-quiet', '600')) * 1000, 0.3, log);
  const busyBefore = quiet.busy;
  log(`busiest processes before starting (after waiting ${Math.round(quiet.waitedMs / 1000)} s for a quiet machine): ${JSON.stringify(busyBefore)}`);

  const stack = await startStack({ web: true, worker: true, log, ...(WEB_DIR ? { webDir: WEB_DIR, webOutDir: path.join(WEB_DIR, 'dist') } : {}) });
  let browser: Browser | undefined;
  const results: LoadResult[] = [];
  const profiles: Record<string, unknown> = {};
  let chromiumVersion = '';
  let profileWeb: Awaited<ReturnType<typeof previewWeb>> | undefined;
  try {
    const caller = await signUp(stack.apiUrl, 'browser');
    const projectId = await createProject(stack.apiUrl, caller, 'Browser bench');
    const workflows: Record<number, string> = {};
    for (const n of SIZES) {
      const def = gridDefinition(n);
      workflows[n] = (await createWorkflow(stack.apiUrl, caller, projectId, `Editor ${n} nodes`, def)).id;
      log(`created a ${n}-node workflow (${def.edges.length} edges, ${JSON.stringify(def).length} bytes)`);
    }
    browser = await chromium.launch({
      executablePath: process.env.WB_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    chromiumVersion = browser.version();
    log(`Chromium ${chromiumVersion}`);

    // One unmeasured load to warm the browser process and the servers.
    await loadEditor(browser, stack.webUrl!, caller, workflows[SIZES[0]!]!, SIZES[0]!, { pan: false });
    for (const n of SIZES) {
      for (let i = 0; i < ITERATIONS; i++) {
        const r = await loadEditor(browser, stack.webUrl!, caller, workflows[n]!, n, { pan: true });
        results.push(r);
        log(`${n} nodes #${i + 1}: rendered ${r0(r.marks.rendered as number)} ms, click ${r1(r.clickLatencyMs)} ms, TTI ${r0(r.ttiMs)} ms, settled ${r0(r.marks.settled as number)} ms, `
          + `settled click ${r.settledClickLatencyMs.map(r0).join('/')} ms, pan fps fit ${r1(r.pan.fit!.fps)} / 100% ${r1(r.pan.zoom100!.fps)}`);
      }
    }

    if (PROFILE) {
      // CPU profiles on an unminified build served by its own preview, same API and data.
      await browser.close();
      browser = undefined;
      log('building an unminified web app for the CPU profiles');
      profileWeb = await previewWeb(stack.apiUrl, { outDir: path.join(os.tmpdir(), 'wb-bench-web-profile'), buildArgs: ['--minify', 'false'], ...(WEB_DIR ? { webDir: WEB_DIR } : {}), log });
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      for (const n of SIZES) {
        await loadEditor(browser, profileWeb.url, caller, workflows[n]!, n, { pan: false });
        const prof = await profileEditor(browser, profileWeb.url, caller, workflows[n]!, n);
        profiles[n] = prof;
        log(`profile ${n}: load ${JSON.stringify(prof.load.functions.slice(0, 6))}`);
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await profileWeb?.stop();
    await stack.stop();
  }

  const busyAfter = await busiestProcesses(2000);
  const summary = SIZES.map((n) => summarise(n, results.filter((r) => r.nodes === n)));
  mkdirSync(path.join(here, 'results'), { recursive: true });
  const file = path.join(here, 'results', `browser-${env.date.slice(0, 10)}${LABEL ? `-${LABEL}` : ''}.json`);
  writeFileSync(file, JSON.stringify({ environment: { ...env, chromium: chromiumVersion, viewport: VIEWPORT }, settings: { iterations: ITERATIONS, sizes: SIZES, panMs: PAN_MS, webDir: WEB_DIR || 'apps/web' }, busyBefore, busyAfter, summary, results, profiles }, null, 2) + '\n');
  if (PROFILE) {
    for (const [n, p] of Object.entries(profiles)) writeFileSync(path.join(here, 'results', `browser-profile-${n}${LABEL ? `-${LABEL}` : ''}.json`), JSON.stringify(p, null, 2) + '\n');
  }

  console.log(`\nEditor benchmarks: Chromium ${chromiumVersion} headless, --disable-gpu, viewport ${VIEWPORT.width}x${VIEWPORT.height}; ${env.nproc} CPUs, Node ${env.node}; medians of ${ITERATIONS} fresh-context loads\n`);
  console.log(table(['nodes', 'workflow fetched', 'all nodes in DOM', 'measured', 'rendered', 'click ms', 'TTI ms', 'settled', 'click after settle', 'long tasks ms', 'DOM nodes'], summary.map((s) => [
    s.nodes, s.median.workflowFetchEnd, s.median.allNodes, s.median.measured, s.median.rendered, s.median.click, s.median.tti, s.median.settled, s.median.settledClick, s.median.longTasksUntilRendered, s.median.domNodes,
  ])));
  console.log('');
  console.log(table(['nodes', 'pan at', 'zoom', 'visible nodes', 'fps', 'frame p50 ms', 'frame p95 ms', 'frame max ms', 'mouse moves', 'frames that moved'], summary.flatMap((s) => Object.entries(s.pan).map(([k, p]) => [
    s.nodes, k, p.zoom, p.visibleNodes, p.fps, p.frameP50, p.frameP95, p.frameMax, p.moves, p.movedFrames,
  ]))));
  if (PROFILE) for (const [n, p] of Object.entries(profiles)) console.log(`\nCPU profile, ${n} nodes (self ms by function):\n${JSON.stringify(p, null, 1).slice(0, 6000)}`);
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

async function newEditorPage(browser: Browser, webUrl: string, caller: Account, expected: number) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addCookies([{ name: 'wb_session', value: caller.token, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' }]);
  await context.addInitScript(INIT_SCRIPT(expected));
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  return { context, page };
}

async function loadEditor(browser: Browser, webUrl: string, caller: Account, workflowId: string, n: number, opts: { pan: boolean }): Promise<LoadResult> {
  const { context, page } = await newEditorPage(browser, webUrl, caller, n);
  const t0 = Date.now();
  const phase = (what: string) => { if (process.env.BENCH_DEBUG) log(`  ${n}: ${what} at +${Date.now() - t0} ms`); };
  try {
    await page.goto(`${webUrl}/orgs/${caller.orgId}/workflows/${workflowId}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as any).__bench.marks.rendered !== undefined, undefined, { polling: 'raf', timeout: 120_000 });
    // Click at once: the first node that is fully on screen near the centre of the canvas.
    phase('rendered');
    const target = await pickNode(page, 0);
    phase('picked');
    await page.evaluate((id) => { const b = (window as any).__bench; b.watch = id; b.selectedAt = null; b.selectedPaintAt = null; b.downAt = null; }, target.id);
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(() => (window as any).__bench.selectedPaintAt !== null, undefined, { polling: 'raf' });
    const first = await page.evaluate(() => { const b = (window as any).__bench; return { downAt: b.downAt as number, selectedAt: b.selectedPaintAt as number, marks: b.marks }; });
    // Settle (validation answered), then the steady-state click latency.
    await page.waitForFunction(() => (window as any).__bench.marks.settled !== undefined || (window as any).__bench.marks.problems !== undefined, undefined, { polling: 'raf', timeout: 120_000 });
    await page.waitForTimeout(300);
    const settledClicks: number[] = [];
    for (let k = 1; k <= 3; k++) {
      const t = await pickNode(page, k);
      await page.evaluate((id) => { const b = (window as any).__bench; b.watch = id; b.selectedAt = null; b.selectedPaintAt = null; b.downAt = null; }, t.id);
      await page.mouse.click(t.x, t.y);
      await page.waitForFunction(() => (window as any).__bench.selectedPaintAt !== null, undefined, { polling: 'raf' });
      settledClicks.push(await page.evaluate(() => { const b = (window as any).__bench; return b.selectedPaintAt - b.downAt; }));
      await page.waitForTimeout(150);
    }
    phase('settled clicks');
    // Deselect (Escape) so panning is measured with nothing selected.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);

    const info = await page.evaluate(() => {
      const b = (window as any).__bench;
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const wf = res.find((r) => /\/api\/v1\/orgs\/[^/]+\/workflows\/[0-9a-f-]{36}$/.test(new URL(r.name).pathname));
      const js = res.filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js')).reduce((s, r) => s + (r.encodedBodySize || 0), 0);
      const mem = (performance as any).memory;
      return {
        marks: b.marks, longTasks: b.longTasks as Array<[number, number]>,
        workflowFetch: wf ? { startMs: wf.startTime, endMs: wf.responseEnd, bytes: wf.encodedBodySize } : null,
        jsBytes: js, domNodes: document.getElementsByTagName('*').length, jsHeapMB: mem ? mem.usedJSHeapSize / 2 ** 20 : null,
      };
    });
    const lt = (until: number) => {
      const xs = info.longTasks.filter(([start]) => start < until).map(([, d]) => d);
      return { count: xs.length, totalMs: r0(xs.reduce((a, b) => a + b, 0)), longestMs: r0(Math.max(0, ...xs)) };
    };
    const click = first.selectedAt - first.downAt;
    const pan: Record<string, PanResult> = {};
    if (opts.pan) {
      pan.fit = await panFps(page);
      phase('pan fit');
      await zoomTo(page, 1);
      phase('zoomed');
      pan.zoom100 = await panFps(page);
      phase('pan 100%');
    }
    return {
      nodes: n,
      marks: Object.fromEntries(Object.entries(info.marks as Record<string, number | string>).map(([k, v]) => [k, typeof v === 'number' ? r1(v) : v])),
      clickLatencyMs: click,
      ttiMs: (info.marks.renderedPainted as number) + click,
      selectedAtMs: first.selectedAt,
      settledClickLatencyMs: settledClicks,
      longTasksUntilRendered: lt(info.marks.rendered as number),
      longTasksUntilSettled: lt((info.marks.settled as number | undefined) ?? Infinity),
      workflowFetch: info.workflowFetch ? { startMs: r1(info.workflowFetch.startMs), endMs: r1(info.workflowFetch.endMs), bytes: info.workflowFetch.bytes } : null,
      jsBytes: info.jsBytes,
      domNodes: info.domNodes,
      jsHeapMB: info.jsHeapMB === null ? null : r1(info.jsHeapMB),
      pan,
    };
  } finally {
    await context.close();
  }
}

/** The `k`-th node (by distance from the canvas centre) whose centre is on screen and not covered. */
async function pickNode(page: Page, k: number): Promise<{ id: string; x: number; y: number }> {
  const found = await page.evaluate((k) => {
    const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
    const cx = canvas.left + canvas.width / 2;
    const cy = canvas.top + canvas.height / 2;
    const all: Array<{ el: HTMLElement; id: string; x: number; y: number; d: number }> = [];
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (x < canvas.left + 40 || x > canvas.right - 40 || y < canvas.top + 40 || y > canvas.bottom - 40) continue;
      all.push({ el, id: el.dataset.id!, x, y, d: Math.hypot(x - cx, y - cy) });
    }
    all.sort((a, b) => a.d - b.d);
    const candidates: Array<{ id: string; x: number; y: number }> = [];
    for (const c of all) {
      const hit = document.elementFromPoint(c.x, c.y);
      // Uncovered, and not on a handle (a drag there would start a connection).
      if (!hit || hit.closest('.react-flow__node') !== c.el || hit.closest('.react-flow__handle')) continue;
      candidates.push({ id: c.id, x: c.x, y: c.y });
      if (candidates.length > k * 7) break;
    }
    return candidates[k * 7] ?? candidates[k] ?? null;
  }, k);
  if (!found) throw new Error('no clickable node on screen');
  return found;
}

/** A point of the empty pane (no node, edge or control under it), the nearest to the canvas centre. */
async function panePoint(page: Page): Promise<{ x: number; y: number }> {
  const p = await page.evaluate(() => {
    const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
    const cx = canvas.left + canvas.width / 2;
    const cy = canvas.top + canvas.height / 2;
    const points: Array<{ x: number; y: number; d: number }> = [];
    for (let x = canvas.left + 80; x < canvas.right - 80; x += 8) {
      for (let y = canvas.top + 80; y < canvas.bottom - 80; y += 8) points.push({ x, y, d: Math.hypot(x - cx, y - cy) });
    }
    points.sort((a, b) => a.d - b.d);
    for (const pt of points) {
      const hit = document.elementFromPoint(pt.x, pt.y);
      if (hit && hit.classList.contains('react-flow__pane')) return pt;
    }
    return null;
  });
  if (!p) throw new Error('no empty pane point');
  return p;
}

const viewport = (page: Page) => page.evaluate(() => {
  const t = (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
  const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([-\d.]+)\)/.exec(t);
  const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
  let visible = 0;
  for (const el of document.querySelectorAll('.react-flow__node')) {
    const r = el.getBoundingClientRect();
    if (r.right > canvas.left && r.left < canvas.right && r.bottom > canvas.top && r.top < canvas.bottom) visible++;
  }
  return { x: Number(m?.[1]), y: Number(m?.[2]), zoom: Number(m?.[3]), visible };
});

/** Zooms with the mouse wheel over the pane until the zoom is about `target`. */
async function zoomTo(page: Page, target: number): Promise<void> {
  const p = await panePoint(page);
  await page.mouse.move(p.x, p.y);
  for (let i = 0; i < 60; i++) {
    const v = await viewport(page);
    if (Math.abs(Math.log(v.zoom / target)) < 0.08) break;
    await page.mouse.wheel(0, v.zoom < target ? -100 : 100);
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(300);
}

async function panFps(page: Page): Promise<PanResult> {
  const start = await panePoint(page);
  const before = await viewport(page);
  await page.mouse.move(start.x, start.y);
  await page.evaluate(() => { const b = (window as any).__bench; b.frames = []; b.transforms = []; });
  await page.mouse.down();
  const t0 = Date.now();
  let moves = 0;
  while (Date.now() - t0 < PAN_MS) {
    const t = (Date.now() - t0) / 1000;
    const x = start.x + 250 * Math.sin(2 * Math.PI * 0.5 * t);
    const y = start.y + 120 * Math.sin(2 * Math.PI * 0.25 * t);
    await page.mouse.move(x, y);
    moves++;
  }
  await page.mouse.up();
  const { frames, transforms } = await page.evaluate(() => {
    const b = (window as any).__bench;
    const out = { frames: b.frames as number[], transforms: b.transforms as string[] };
    b.frames = null;
    b.transforms = null;
    return out;
  });
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  const pct = (p: number) => intervals[Math.min(intervals.length - 1, Math.floor((p / 100) * intervals.length))] ?? NaN;
  const durationMs = frames.length > 1 ? frames[frames.length - 1]! - frames[0]! : NaN;
  return {
    zoom: Math.round(before.zoom * 1000) / 1000,
    fps: r1(((frames.length - 1) / durationMs) * 1000),
    frames: frames.length,
    durationMs: r0(durationMs),
    frameMs: { p50: r1(pct(50)), p95: r1(pct(95)), max: r1(intervals[intervals.length - 1] ?? NaN) },
    moves,
    movedFrames: transforms.filter((t, i) => i > 0 && t !== transforms[i - 1]).length,
    visibleNodes: before.visible,
  };
}

/** A CDP CPU profile of one editor load (until settled) and of 3 clicks: self time by function. */
async function profileEditor(browser: Browser, webUrl: string, caller: Account, workflowId: string, n: number) {
  const { context, page } = await newEditorPage(browser, webUrl, caller, n);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  try {
    await cdp.send('Profiler.start');
    await page.goto(`${webUrl}/orgs/${caller.orgId}/workflows/${workflowId}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as any).__bench.marks.settled !== undefined || (window as any).__bench.marks.problems !== undefined, undefined, { polling: 'raf', timeout: 120_000 });
    await page.waitForTimeout(300);
    const load = (await cdp.send('Profiler.stop')).profile;
    await cdp.send('Profiler.start');
    for (let k = 1; k <= 3; k++) {
      const t = await pickNode(page, k);
      await page.evaluate((id) => { const b = (window as any).__bench; b.watch = id; b.selectedAt = null; b.selectedPaintAt = null; }, t.id);
      await page.mouse.click(t.x, t.y);
      await page.waitForFunction(() => (window as any).__bench.selectedAt !== null, undefined, { polling: 'raf' });
      await page.waitForTimeout(100);
    }
    const clicks = (await cdp.send('Profiler.stop')).profile;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
    await cdp.send('Profiler.start');
    const panFit = await panFps(page);
    const panFitProfile = (await cdp.send('Profiler.stop')).profile;
    await zoomTo(page, 1);
    await cdp.send('Profiler.start');
    const pan100 = await panFps(page);
    const pan100Profile = (await cdp.send('Profiler.stop')).profile;
    return {
      load: selfTimes(load), clicks: selfTimes(clicks),
      panFit: { fps: panFit.fps, ...selfTimes(panFitProfile) }, pan100: { fps: pan100.fps, ...selfTimes(pan100Profile) },
    };
  } finally {
    await context.close();
  }
}

interface CpuProfile { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>; samples?: number[]; timeDeltas?: number[] }

/** Self time (ms) by function and by source file, top entries; plus time under each app module. */
function selfTimes(p: CpuProfile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  (p.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const file = n.callFrame.url ? new URL(n.callFrame.url, 'http://x').pathname : '(native)';
    const name = `${n.callFrame.functionName || '(anonymous)'} ${file.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    byFn.set(name, (byFn.get(name) ?? 0) + ms);
    byFile.set(file.split('/').pop()!, (byFile.get(file.split('/').pop()!) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => ({ name, ms: r1(ms) }));
  return { totalMs: r0([...self.values()].reduce((a, b) => a + b, 0)), functions: top(byFn, 40), files: top(byFile, 15) };
}

function summarise(n: number, rs: LoadResult[]) {
  const med = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? r0(s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN; };
  const medF = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? r1(s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN; };
  const mark = (k: string) => med(rs.map((r) => Number(r.marks[k])));
  const pan: Record<string, { zoom: number; visibleNodes: number; fps: number; frameP50: number; frameP95: number; frameMax: number; moves: number; movedFrames: number }> = {};
  for (const k of ['fit', 'zoom100']) {
    const ps = rs.map((r) => r.pan[k]).filter((p): p is PanResult => p !== undefined);
    if (ps.length === 0) continue;
    pan[k] = {
      zoom: medF(ps.map((p) => p.zoom)), visibleNodes: med(ps.map((p) => p.visibleNodes)), fps: medF(ps.map((p) => p.fps)),
      frameP50: medF(ps.map((p) => p.frameMs.p50)), frameP95: medF(ps.map((p) => p.frameMs.p95)), frameMax: medF(ps.map((p) => p.frameMs.max)), moves: med(ps.map((p) => p.moves)), movedFrames: med(ps.map((p) => p.movedFrames)),
    };
  }
  return {
    nodes: n,
    loads: rs.length,
    median: {
      workflowFetchEnd: med(rs.map((r) => r.workflowFetch?.endMs ?? NaN)),
      canvas: mark('canvas'), firstNode: mark('firstNode'), allNodes: mark('allNodes'), measured: mark('measured'), rendered: mark('rendered'),
      renderedPainted: mark('renderedPainted'), click: med(rs.map((r) => r.clickLatencyMs)), tti: med(rs.map((r) => r.ttiMs)),
      selectedAt: med(rs.map((r) => r.selectedAtMs)), settled: mark('settled'), settledClick: med(rs.flatMap((r) => r.settledClickLatencyMs)),
      longTasksUntilRendered: med(rs.map((r) => r.longTasksUntilRendered.totalMs)), longestTaskUntilRendered: med(rs.map((r) => r.longTasksUntilRendered.longestMs)),
      longTasksUntilSettled: med(rs.map((r) => r.longTasksUntilSettled.totalMs)),
      domNodes: med(rs.map((r) => r.domNodes)), jsHeapMB: medF(rs.map((r) => r.jsHeapMB ?? NaN)), workflowBytes: med(rs.map((r) => r.workflowFetch?.bytes ?? NaN)),
    },
    all: { tti: rs.map((r) => r0(r.ttiMs)), rendered: rs.map((r) => r0(Number(r.marks.rendered))), click: rs.map((r) => r0(r.clickLatencyMs)) },
    pan,
  };
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: Array<string | number>) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
