/**
 * HTTP benchmarks of the API on loopback, against the whole product started on a fresh database
 * (bench/lib-stack.ts): autocannon with 50 keep-alive connections, authenticated with a session
 * cookie, for
 *   - GET  /health                              (no database: the floor of the HTTP stack)
 *   - GET  /v1/orgs/:orgId/workflows            (first page, 50 workflows of 200 nodes)
 *   - GET  /v1/orgs/:orgId/workflows/:id        (a 200-node workflow)
 *   - PATCH /v1/orgs/:orgId/workflows/:id       (save a 200-node workflow; one workflow per
 *                                                connection, each save carries that workflow's
 *                                                current definitionVersion, so none is stale;
 *                                                then all connections on ONE workflow, 409s counted)
 *   - GET  /v1/orgs/:orgId/runs                 (over 1,000,000 user_workflow_run rows in 20
 *                                                organisations; first page, status filter,
 *                                                workflow filter, a page deep in via cursor, and
 *                                                a context search)
 * plus `explain (analyze, buffers)` of the runs list (and the workflows list) as the application
 * role (`authenticated` with the caller's JWT claims, inside a transaction like the API's), and a
 * sequential breakdown of one request into the statements the API sends.
 *
 * Usage (repo root): node_modules/.bin/tsx bench/http.ts [--duration=20] [--warmup=5]
 *   [--connections=50] [--runs=1000000] [--pg=fast|durable] [--only=list-runs,save] [--api-cpu-prof]
 * Writes bench/results/http-<date>[-pg-durable].json and prints tables. No timed assertions.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Tx } from '@workflow-builder/db';
import { gridDefinition, moved, call, createProject, createWorkflow, ok, seedRuns, signUp, type Account, type CreatedWorkflow } from './http-fixtures.ts';
import { CpuMeter, busiestProcesses, childNamed, postmasterPid, waitForQuiet, type CpuSplit } from './http-proc.ts';
import { startStack } from './lib-stack.ts';
import { summariseProfile } from './http-cpuprof.ts';
import { cursorTs, afterCursor, encodeCursor } from '../apps/api/src/lib/pagination.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const flag = (name: string) => process.argv.includes(`--${name}`);
const DURATION = Number(arg('duration', '20'));
const WARMUP = Number(arg('warmup', '5'));
const CONNECTIONS = Number(arg('connections', '50'));
const RUNS = Number(arg('runs', '1000000'));
const PG_MODE = arg('pg', 'fast') === 'durable' ? 'durable' : 'fast';
const ONLY = arg('only', '').split(',').filter(Boolean);
/** A patched copy of apps/api to measure instead (A/B of a proposed fix), and a label for the results file. */
const API_DIR = arg('api-dir', '');
const LABEL = arg('label', '');
const NODES = 200;
/** Cores used by processes outside the stack above which a measurement is repeated. */
const NOISY = Number(arg('noisy', '0.25'));
const log = (msg: string) => process.stderr.write(`[http ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;

interface Scenario {
  name: string;
  what: string;
  method: 'GET' | 'PATCH';
  path: string;
  /** Per-connection requests (saves). */
  setupClient?: (client: autocannon.Client) => void;
  connections?: number;
  /** Per-request header overrides. */
  headers?: Record<string, string>;
  /** Status the pre-check expects (default 200). */
  expect?: number;
  /** Called before the measured run (e.g. to reset 409 counters). */
  before?: () => void;
  after?: () => Record<string, unknown>;
}

interface ScenarioResult {
  name: string;
  what: string;
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  responseBytesMean: number;
  /** CPU used meanwhile, in cores (1 = one core busy for the whole run). */
  cpu: { api: number; worker: number; postgres: number; temporal: number; loadGenerator: number; other: number; machineBusyPct: number };
  extra?: Record<string, unknown>;
  worstSeconds?: Array<{ second: number; requests: number; maxMs: number }>;
  attempts?: number;
  /** Open loop at half the measured throughput. */
  halfRate?: { rps: number; p50: number; p90: number; p99: number; max: number };
}

function environment() {
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

async function main(): Promise<void> {
  const env = environment();
  log(`environment: ${JSON.stringify(env)}`);
  const quiet = await waitForQuiet(Number(arg('wait-quiet', '600')) * 1000, 0.3, log);
  const busyBefore = quiet.busy;
  log(`busiest processes before starting (after waiting ${Math.round(quiet.waitedMs / 1000)} s for a quiet machine): ${JSON.stringify(busyBefore)}`);

  const apiEnv = Object.fromEntries(arg('api-env', '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const stack = await startStack({ worker: true, pg: PG_MODE, log, apiEnv, ...(API_DIR ? { apiDir: API_DIR } : {}), apiNodeArgs: flag('api-cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${path.join(here, 'results', 'http-api-cpu-prof')}`] : undefined });
  const apiUrl = stack.apiUrl;
  const pgPort = Number(new URL(process.env.WB_TEST_PG_URL!).port);
  const roots = () => ({
    api: stack.apiPid, worker: stack.workerPid ?? -1, postgres: postmasterPid(pgPort) ?? -1, temporal: childNamed('temporal') ?? -1, loadGenerator: 'self' as const,
  });
  const results: ScenarioResult[] = [];
  let plans: Record<string, string> = {};
  let breakdown: Record<string, unknown> = {};
  let experiments: Record<string, unknown> = {};
  let seeded: Awaited<ReturnType<typeof seedRuns>> | undefined;
  try {
    log(`pg settings: ${JSON.stringify(stack.pgSettings)}`);
    const caller = await signUp(apiUrl, 'bench');
    const me = await ok<{ user: { authUserId: string } }>(apiUrl, caller.cookie, 'GET', '/v1/auth/me');
    const projectId = await createProject(apiUrl, caller, 'Bench project');

    // 1,000,000 runs over the caller's org (10%) and 19 others; their 20 small workflows per org.
    log(`loading ${RUNS} runs`);
    seeded = await seedRuns(stack.db.admin, caller, projectId, { total: RUNS, callerShare: 0.1, otherOrgs: 19, workflowsPerOrg: 20 });
    log(`loaded ${seeded.rows} runs (${seeded.callerRows} in the caller's org, ${seeded.orgs} orgs) in ${r1(seeded.seconds)} s; table ${seeded.tableSize}, indexes ${seeded.indexesSize}`);

    // 200-node workflows created through the API: one to read, one per connection to save, one
    // for the contended save. Created after the runs' small workflows, so the first page of the
    // workflows list is 50 workflows of 200 nodes.
    const definition = gridDefinition(NODES);
    log(`creating ${CONNECTIONS + 2} workflows of ${NODES} nodes (${definition.edges.length} edges, ${JSON.stringify(definition).length} bytes of JSON) through the API`);
    const getTarget = await createWorkflow(apiUrl, caller, projectId, 'Read target', definition);
    const saveTargets: CreatedWorkflow[] = [];
    for (let i = 0; i < CONNECTIONS; i++) saveTargets.push(await createWorkflow(apiUrl, caller, projectId, `Save target ${i}`, definition));
    const contended = await createWorkflow(apiUrl, caller, projectId, 'Contended save target', definition);

    const org = `/v1/orgs/${caller.orgId}`;
    // A cursor 10,000 runs deep into the caller's org.
    const deep = await withPg(stack.db.admin, async (c) => (await c.query<{ ts: string; id: string }>(
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts, run_id as id from public.user_workflow_run
       where org_id = $1 order by created_at desc, run_id desc offset $2 limit 1`, [caller.orgId, Math.min(10_000, Math.floor(seeded!.callerRows / 2))])).rows[0]!);
    const deepCursor = encodeCursor(deep);

    // Save bodies: the definition with its first node moved back and forth (each save changes
    // something), serialised once; each request splices in the connection's definitionVersion.
    const bodies = [moved(definition, 40), moved(definition, -40)].map((d) => JSON.stringify(d));
    const saveBody = (version: number, i: number) => `{"definitionVersion":${version},"definition":${bodies[i % 2]}}`;
    log(`save request body: ${saveBody(1, 0).length} bytes`);

    let conflicts = 0;
    let staleHealed = 0;
    let next = 0;
    const perConnectionSave = (client: autocannon.Client) => {
      const wf = saveTargets[next++ % saveTargets.length]!;
      let n = 0;
      client.setRequests([{
        method: 'PATCH',
        path: `${org}/workflows/${wf.id}`,
        setupRequest: (req) => ({ ...req, body: saveBody(wf.definitionVersion, n++) }),
        onResponse: (status, body) => {
          if (status === 200) wf.definitionVersion += 1;
          else if (status === 409) {
            conflicts++;
            const v = (JSON.parse(body) as { currentDefinitionVersion?: number }).currentDefinitionVersion;
            if (typeof v === 'number') { wf.definitionVersion = v; staleHealed++; }
          }
        },
      }]);
    };
    let sharedOk = 0;
    let sharedConflicts = 0;
    const sharedSave = (client: autocannon.Client) => {
      let n = 0;
      client.setRequests([{
        method: 'PATCH',
        path: `${org}/workflows/${contended.id}`,
        setupRequest: (req) => ({ ...req, body: saveBody(contended.definitionVersion, n++) }),
        onResponse: (status, body) => {
          if (status === 200) {
            sharedOk++;
            // The response carries the new version; parse only its head.
            const m = /"definitionVersion":(\d+)/.exec(body);
            if (m) contended.definitionVersion = Math.max(contended.definitionVersion, Number(m[1]));
          } else if (status === 409) {
            sharedConflicts++;
            const v = (JSON.parse(body) as { currentDefinitionVersion?: number }).currentDefinitionVersion;
            if (typeof v === 'number') contended.definitionVersion = Math.max(contended.definitionVersion, v);
          }
        },
      }]);
    };

    const scenarios: Scenario[] = [
      { name: 'floor-401', what: 'GET runs without a cookie: 401 from the auth hook, no database (the HTTP stack alone)', method: 'GET', path: `${org}/runs`, headers: { cookie: '' }, expect: 401 },
      { name: 'health', what: 'GET /health (select 1 on the pool + a Temporal describeNamespace call)', method: 'GET', path: '/health' },
      { name: 'list-workflows', what: 'GET workflows, first page (50 of 72; the 50 are 200-node workflows)', method: 'GET', path: `${org}/workflows` },
      { name: 'get-workflow', what: `GET one ${NODES}-node workflow with its definition`, method: 'GET', path: `${org}/workflows/${getTarget.id}` },
      { name: 'list-runs', what: 'GET runs, first page (50) of 100,000 in the org, 1,000,000 in the table', method: 'GET', path: `${org}/runs` },
      { name: 'list-runs-status', what: 'GET runs?status=failed (10% of the org\'s runs)', method: 'GET', path: `${org}/runs?status=failed` },
      { name: 'list-runs-workflow', what: 'GET runs?workflowId= (one of 20 workflows: 5,000 runs)', method: 'GET', path: `${org}/runs?workflowId=${seeded.callerWorkflowId}` },
      { name: 'list-runs-deep', what: 'GET runs?cursor= (a page 10,000 rows deep, keyset)', method: 'GET', path: `${org}/runs?cursor=${deepCursor}` },
      { name: 'list-runs-context', what: 'GET runs?q={"customer":"c42"} (context @> search, ~100 matches in the org)', method: 'GET', path: `${org}/runs?q=${encodeURIComponent(seeded.contextFilter)}` },
      {
        name: 'save-workflow', what: `PATCH a ${NODES}-node workflow, one workflow per connection (never stale)`, method: 'PATCH', path: '/health', setupClient: perConnectionSave,
        before: () => { conflicts = 0; staleHealed = 0; }, after: () => ({ conflicts409: conflicts, staleHealed }),
      },
      {
        name: 'save-contended', what: `PATCH one ${NODES}-node workflow from all connections (409s expected and counted)`, method: 'PATCH', path: '/health', setupClient: sharedSave,
        before: () => { sharedOk = 0; sharedConflicts = 0; }, after: () => ({ saved200: sharedOk, conflicts409: sharedConflicts }),
      },
    ].filter((s) => ONLY.length === 0 || ONLY.includes(s.name)) as Scenario[];

    // Every GET answers 200 with the caller's data before it is loaded.
    for (const s of scenarios.filter((x) => x.method === 'GET')) {
      const r = await call<{ items?: Array<{ orgId?: string }> }>(apiUrl, s.headers?.cookie ?? caller.cookie, 'GET', s.path);
      if (r.status !== (s.expect ?? 200)) throw new Error(`${s.name}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      log(`${s.name}: 200, ${Array.isArray(r.body?.items) ? `${r.body.items.length} items` : `${JSON.stringify(r.body).length} bytes`}`);
    }

    // Plans and the sequential breakdown, before the saves bloat anything.
    plans = await explainPlans(stack.db.api, me.user.authUserId, caller, seeded.callerWorkflowId, deep, seeded.contextFilter);
    breakdown = await sequentialBreakdown(apiUrl, stack.db.api, caller, me.user.authUserId, getTarget.id);
    breakdown.save = await saveBreakdown(apiUrl, stack.db.api, caller, me.user.authUserId, contended, bodies);
    log(`save breakdown: ${JSON.stringify(breakdown.save)}`);

    // autocannon drops the requests in flight when its time is up: saves the server committed but
    // whose answer was never read. Re-read the versions after each run so the next starts current.
    const resync = () => withPg(stack.db.admin, async (c) => {
      // Let the API finish the requests autocannon abandoned (their transactions still commit).
      for (let i = 0; i < 100; i++) {
        const busy = (await c.query<{ n: string }>("select count(*) as n from pg_stat_activity where usename = 'wb_api' and state <> 'idle'")).rows[0]!.n;
        if (Number(busy) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 200));
      const rows = (await c.query<{ id: string; v: number }>('select id, definition_version as v from public.workflows where id = any($1::uuid[])',
        [[...saveTargets, contended].map((w) => w.id)])).rows;
      const v = new Map(rows.map((r) => [r.id, r.v]));
      for (const w of [...saveTargets, contended]) w.definitionVersion = v.get(w.id)!;
    });
    for (const s of scenarios) {
      const connections = s.connections ?? CONNECTIONS;
      log(`${s.name}: warm-up ${WARMUP} s`);
      next = 0;
      await runCannon(apiUrl, caller, s, connections, WARMUP);
      await resync();
      next = 0;
      // Other people's processes share this machine: a run during which they used more than
      // NOISY cores is repeated (up to 3 attempts) and the quietest attempt kept.
      let result: ScenarioResult | undefined;
      for (let attempt = 1; attempt <= 3; attempt++) {
        s.before?.();
        const cpu = new CpuMeter(roots());
        log(`${s.name}: ${DURATION} s at ${connections} connections${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
        const series: Array<[number, number]> = [];
        const res = await runCannon(apiUrl, caller, s, connections, DURATION, series);
        const split = cpu.stop();
        await resync();
        const r = summarise(s, connections, res, split);
        r.worstSeconds = worstSeconds(series);
        r.attempts = attempt;
        if (s.after) r.extra = s.after();
        if (!result || r.cpu.other < result.cpu.other) result = { ...r, attempts: attempt };
        if (r.cpu.other <= NOISY) break;
        log(`${s.name}: other processes used ${r.cpu.other} cores meanwhile; again`);
      }
      if (!result) throw new Error('no result');
      if (s.method === 'GET' && !flag('no-half-rate')) {
        // The same load at half the measured throughput (open loop: autocannon paces the requests),
        // to separate the cost of a request from queueing at saturation.
        const rate = Number(arg('rate', '0')) || Math.max(10, Math.round(result.rps / 2));
        log(`${s.name}: ${DURATION} s at ${rate} req/s (${arg('rate', '') ? 'fixed rate' : 'half the measured throughput'})`);
        const half = await runCannon(apiUrl, caller, s, connections, DURATION, undefined, rate);
        result.halfRate = { rps: Math.round(half.requests.total / half.duration), p50: half.latency.p50, p90: half.latency.p90, p99: half.latency.p99, max: half.latency.max };
      }
      results.push(result);
      log(`${s.name}: ${r1(result.rps)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, codes ${JSON.stringify(result.statusCodes)}, cpu ${JSON.stringify(result.cpu)}${result.extra ? `, ${JSON.stringify(result.extra)}` : ''}`);
    }
    if (!flag('no-experiments')) {
      experiments = await schemaExperiments(stack.db, me.user.authUserId, caller, seeded.contextFilter, async (name) => {
        const sc = scenarios.find((x) => x.name === name);
        if (!sc) return null;
        await runCannon(apiUrl, caller, sc, CONNECTIONS, WARMUP);
        const cpu = new CpuMeter(roots());
        const res = await runCannon(apiUrl, caller, sc, CONNECTIONS, DURATION);
        return summarise(sc, CONNECTIONS, res, cpu.stop());
      });
    }
  } finally {
    log('stopping the stack');
    await stack.stop();
  }

  const busyAfter = await busiestProcesses(2000);
  const out = { environment: env, settings: { durationS: DURATION, warmupS: WARMUP, connections: CONNECTIONS, runs: RUNS, nodes: NODES, pgMode: PG_MODE, apiDir: API_DIR || 'apps/api', apiEnv: arg('api-env', '') }, pgSettings: stack.pgSettings, busyBefore, busyAfter, seeded, results, plans, breakdown, experiments };
  mkdirSync(path.join(here, 'results'), { recursive: true });
  const file = path.join(here, 'results', `http-${env.date.slice(0, 10)}${PG_MODE === 'durable' ? '-pg-durable' : ''}${ONLY.length ? `-${ONLY.join('+')}` : ''}${flag('api-cpu-prof') ? '-api-cpu-prof' : ''}${LABEL ? `-${LABEL}` : ''}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');

  console.log(`\nHTTP benchmarks, ${CONNECTIONS} connections, ${DURATION} s each (after ${WARMUP} s warm-up); ${env.nproc} CPUs, Node ${env.node}, Postgres ${stack.pgSettings.server_version} (${PG_MODE})\n`);
  console.log(table(['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'codes', 'api', 'pg', 'loadgen', 'worker+temporal', 'other', 'busy %'], results.map((r) => [
    r.name, r1(r.rps), r.latencyMs.p50, r.latencyMs.p90, r.latencyMs.p99, r.latencyMs.max,
    Object.entries(r.statusCodes).map(([k, v]) => `${k}:${v}`).join(' '), r.cpu.api, r.cpu.postgres, r.cpu.loadGenerator,
    Math.round((r.cpu.worker + r.cpu.temporal) * 100) / 100, r.cpu.other, r.cpu.machineBusyPct,
  ])));
  for (const r of results) if (r.extra) console.log(`${r.name}: ${JSON.stringify(r.extra)}`);
  for (const r of results) if (r.halfRate) console.log(`${r.name} at half rate: ${JSON.stringify(r.halfRate)}; worst seconds at full load: ${JSON.stringify(r.worstSeconds)}`);
  console.log('\nSchema experiments:');
  console.log(JSON.stringify(experiments, null, 2));
  console.log('\nSequential breakdown (1 connection):');
  console.log(JSON.stringify(breakdown, null, 2));
  for (const [name, plan] of Object.entries(plans)) console.log(`\n--- plan: ${name} ---\n${plan}`);
  const profDir = path.join(here, 'results', 'http-api-cpu-prof');
  if (flag('api-cpu-prof')) {
    // One file per thread; the API's main thread is the busiest.
    const summaries = readdirSync(profDir).map((f) => summariseProfile(path.join(profDir, f), 45)).sort((a, b) => b.busyMs - a.busyMs);
    const main = summaries[0]!;
    writeFileSync(path.join(here, 'results', `http-api-cpu-profile-${ONLY.join('+') || 'all'}.json`), JSON.stringify({ ...main, file: path.basename(main.file) }, null, 2) + '\n');
    console.log(`\nAPI CPU profile (main thread, ${path.basename(main.file)}):\n${JSON.stringify(main, null, 1)}`);
    rmSync(profDir, { recursive: true, force: true });
  }
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

/** The 3 seconds with the highest p99-ish latency (max of the second), to spot stalls. */
function worstSeconds(series: Array<[number, number]>): Array<{ second: number; requests: number; maxMs: number }> {
  if (series.length === 0) return [];
  const t0 = series[0]![0];
  const bySecond = new Map<number, { requests: number; maxMs: number }>();
  for (const [t, ms] of series) {
    const sec = Math.floor((t - t0) / 1000);
    const b = bySecond.get(sec) ?? { requests: 0, maxMs: 0 };
    b.requests++;
    b.maxMs = Math.max(b.maxMs, Math.round(ms));
    bySecond.set(sec, b);
  }
  return [...bySecond].map(([second, b]) => ({ second, ...b })).sort((a, b) => b.maxMs - a.maxMs).slice(0, 3);
}

function runCannon(apiUrl: string, caller: Account, s: Scenario, connections: number, duration: number, series?: Array<[number, number]>, overallRate?: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const inst = autocannon({
      ...(overallRate ? { overallRate } : {}),
      url: apiUrl,
      connections,
      pipelining: 1,
      duration,
      timeout: 30,
      method: s.method,
      headers: { cookie: caller.cookie, 'content-type': 'application/json' },
      // Static requests share one request object; per-connection ones replace it in setupClient.
      requests: [{ method: s.method, path: s.path, ...(s.headers ? { headers: s.headers } : {}) }],
      ...(s.setupClient ? { setupClient: s.setupClient } : {}),
    }, (err, result) => (err ? reject(err) : resolve(result)));
    inst.on('error', reject);
    if (series) inst.on('response', (_client, _status, _bytes, responseTime) => { series.push([performance.now(), responseTime]); });
  });
}

function summarise(s: Scenario, connections: number, res: autocannon.Result, cpu: CpuSplit): ScenarioResult {
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries((res as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {})) statusCodes[code] = v.count;
  const cores = (ms: number) => Math.round((ms / cpu.wallMs) * 100) / 100;
  return {
    name: s.name,
    what: s.what,
    connections,
    durationS: res.duration,
    requests: res.requests.total,
    rps: res.requests.total / res.duration,
    latencyMs: { p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max, mean: r1(res.latency.mean) },
    statusCodes,
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
    responseBytesMean: Math.round(res.throughput.total / Math.max(1, res.requests.total)),
    cpu: {
      api: cores(cpu.groups.api ?? 0), worker: cores(cpu.groups.worker ?? 0), postgres: cores(cpu.groups.postgres ?? 0), temporal: cores(cpu.groups.temporal ?? 0),
      loadGenerator: cores(cpu.groups.loadGenerator ?? 0), other: cores(cpu.otherMs),
      machineBusyPct: Math.round((cpu.machineBusyMs / cpu.machineTotalMs) * 100),
    },
  };
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/** Runs `fn` on the API's login role as `authenticated` with the caller's claims, like withCaller. */
async function asApiCaller<T>(apiDbUrl: string, authUserId: string, orgId: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withPg(apiDbUrl, async (c) => {
    await c.query('begin');
    try {
      const claims = JSON.stringify({ sub: authUserId, role: 'authenticated', org_id: orgId, request_id: 'bench' });
      await c.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [claims]);
      return await fn(c);
    } finally {
      await c.query('rollback');
    }
  });
}

/**
 * `explain (analyze, buffers)` of the queries the list routes send, compiled by Kysely from the
 * same builder calls as apps/api/src/routes/runs/index.ts and workflows/store.ts (so the SQL text
 * is the API's), run as the application role with the caller's claims. Each is run three times
 * and the last plan kept (warm cache, as under load).
 */
async function explainPlans(apiDbUrl: string, authUserId: string, caller: Account, workflowId: string, deep: { ts: string; id: string }, context: string): Promise<Record<string, string>> {
  const db = createDb(apiDbUrl, { max: 1 });
  const orgId = caller.orgId;
  const runs = (tx: Tx) => tx.selectFrom('user_workflow_run as r')
    .leftJoin('workflows as w', (j) => j.onRef('w.id', '=', 'r.workflow_id').onRef('w.org_id', '=', 'r.org_id'))
    .select([
      'r.run_id', 'r.workflow_id', 'w.name as workflow_name', 'r.project_id', 'r.status', 'r.channel', 'r.started_at', 'r.ended_at',
      'r.duration_ms', 'r.created_at', 'r.compiled_version', 'r.client_id', cursorTs('r.created_at').as('cursor_ts'),
    ])
    .where('r.org_id', '=', orgId);
  const tx = db as unknown as Tx;
  const queries = {
    'runs: first page': runs(tx).orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(51).compile(),
    'runs: status=failed': runs(tx).where('r.status', '=', 'failed').orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(51).compile(),
    'runs: workflowId': runs(tx).where('r.workflow_id', '=', workflowId).orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(51).compile(),
    'runs: cursor 10,000 deep': runs(tx).where(afterCursor(deep, 'r.created_at', 'r.run_id')).orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(51).compile(),
    'runs: q context': runs(tx).where(sql<boolean>`r.context @> ${context}::jsonb`).orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(51).compile(),
    'workflows: first page': workflowsQuery(tx, orgId).orderBy('w.created_at', 'desc').orderBy('w.id', 'desc').limit(51).compile(),
  };
  const out: Record<string, string> = {};
  try {
    for (const [name, q] of Object.entries(queries)) {
      out[name] = await asApiCaller(apiDbUrl, authUserId, orgId, async (c) => {
        let text = '';
        for (let i = 0; i < 3; i++) {
          const r = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.sql}`, q.parameters as unknown[]);
          text = r.rows.map((row) => row['QUERY PLAN']).join('\n');
        }
        return `${q.sql}\n${text}`;
      });
      log(`plan ${name}: ${/Execution Time: ([\d.]+) ms/.exec(out[name]!)?.[1]} ms`);
    }
  } finally {
    await db.destroy();
  }
  return out;
}

/**
 * apps/api/src/routes/workflows/store.ts `workflows()` (copied: importing it drags in the API's Fastify
 * types), without the user_workflows join. Before migration 20260105000800 it counted nodes with
 * this expression (experiment 3 measures it); it now reads the stored columns.
 */
const nodeCount = sql<number>`case when jsonb_typeof(w.definition -> 'nodes') = 'array' then jsonb_array_length(w.definition -> 'nodes') else 0 end`;
const workflowsQuery = (tx: Tx, orgId: string) => tx.selectFrom('workflows as w')
  .innerJoin('workflow_statuses as s', 's.id', 'w.status_id')
  .innerJoin('component_visibility as v', 'v.id', 'w.visibility_id')
  .select([
    'w.id', 'w.org_id', 'w.project_id', 'w.workstream_slug', 'w.name', 'w.display_name', 'w.description', 'w.kebab_name',
    'w.version', 'w.definition_version', 'w.max_concurrent_executions', 'w.execution_timeout_seconds', 'w.created_by',
    'w.created_at', 'w.updated_at', 'w.deployed_at', 's.name as status_name', 'v.name as visibility_name',
    'w.node_count', 'w.edge_count', cursorTs('w.created_at').as('cursor_ts'),
  ])
  .where('w.org_id', '=', orgId);

/**
 * One request at a time: the HTTP latency of each route, and the statements the API sends for it
 * replayed one by one on the API's login role, timed from the client (so round trips count).
 */
async function sequentialBreakdown(apiUrl: string, apiDbUrl: string, caller: Account, authUserId: string, workflowId: string): Promise<Record<string, unknown>> {
  const N = 200;
  const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[s.length >> 1]! * 100) / 100; };
  const http: Record<string, number> = {};
  for (const [name, url] of Object.entries({ health: '/health', 'list-runs': `/v1/orgs/${caller.orgId}/runs`, 'get-workflow': `/v1/orgs/${caller.orgId}/workflows/${workflowId}`, 'list-workflows': `/v1/orgs/${caller.orgId}/workflows`, me: '/v1/auth/me' })) {
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await fetch(`${apiUrl}${url}`, { headers: { cookie: caller.cookie } });
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    http[name] = median(times);
  }
  const { createHash } = await import('node:crypto');
  const tokenHash = createHash('sha256').update(caller.token).digest();
  const statements: Record<string, number> = {};
  await withPg(apiDbUrl, async (c) => {
    const time = async (name: string, text: string, values: unknown[] = []) => {
      const times: number[] = [];
      for (let i = 0; i < N; i++) {
        const t = performance.now();
        await c.query(text, values);
        times.push(performance.now() - t);
      }
      statements[name] = median(times);
    };
    const anonClaims = JSON.stringify({ role: 'anon', request_id: 'bench' });
    const claims = JSON.stringify({ sub: authUserId, role: 'authenticated', org_id: caller.orgId, request_id: 'bench' });
    await time('select 1 (one round trip)', 'select 1');
    await c.query('begin');
    await time('set_config role+claims', "select set_config('role', 'anon', true), set_config('request.jwt.claims', $1, true)", [anonClaims]);
    await time('app.session_auth_user (auth, as anon)', 'select * from app.session_auth_user($1)', [tokenHash]);
    await c.query('commit');
    await c.query('begin');
    await c.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [claims]);
    await time('app.current_org_role() (inOrg check)', 'select app.current_org_role() as role');
    await time('runs first page (RLS)', `select r.run_id, r.workflow_id, w.name, r.project_id, r.status, r.channel, r.started_at, r.ended_at, r.duration_ms, r.created_at,
      r.compiled_version, r.client_id, to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts
      from user_workflow_run r left join workflows w on w.id = r.workflow_id and w.org_id = r.org_id
      where r.org_id = $1 order by r.created_at desc, r.run_id desc limit 51`, [caller.orgId]);
    await time('get workflow row (RLS, with definition)', `select w.*, s.name, v.name from workflows w join workflow_statuses s on s.id = w.status_id
      join component_visibility v on v.id = w.visibility_id where w.org_id = $1 and w.id = $2`, [caller.orgId, workflowId]);
    await c.query('commit');
    const empty: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await c.query('begin');
      await c.query('commit');
      empty.push(performance.now() - t);
    }
    statements['begin + commit (empty transaction)'] = median(empty);
  });
  return {
    note: 'medians of 200 sequential calls, ms; each API request = auth transaction (begin, set_config, session_auth_user, commit) + inOrg transaction (begin, set_config, current_org_role, the query, commit)',
    httpMedianMs: http,
    statementMedianMs: statements,
  };
}

const executionMs = (plan: string) => Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
const triggerLines = (plan: string) => plan.split('\n').filter((l) => l.startsWith('Trigger')).map((l) => l.trim());

/**
 * The statements of one save (PATCH) as the API sends them (routes/workflows/index.ts and
 * store.ts saveGraph), each under `explain (analyze, buffers)` as the caller in one transaction
 * that is rolled back; medians of 5 rounds. Plus the PATCH itself, sequentially.
 */
async function saveBreakdown(apiUrl: string, apiDbUrl: string, caller: Account, authUserId: string, wf: CreatedWorkflow, bodies: string[]) {
  const orgId = caller.orgId;
  const db = createDb(apiDbUrl, { max: 1 });
  const find = workflowsQuery(db as unknown as Tx, orgId).select('w.definition').where('w.id', '=', wf.id).compile();
  await db.destroy();
  const defText = (i: number) => bodies[i % 2]!;
  const def = JSON.parse(bodies[0]!) as { nodes: Array<{ id: string; kind: string; config: unknown; position: unknown }>; edges: Array<{ id: string; source: string; target: string; sourceHandle?: string }> };
  const nodes = JSON.stringify(def.nodes.map((n) => ({ id: n.id, kind: n.kind, config: n.config, position: n.position })));
  const edges = JSON.stringify(def.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, source_handle: e.sourceHandle ?? null })));
  const rounds: Array<Record<string, number>> = [];
  let triggers: string[] = [];
  for (let round = 0; round < 5; round++) {
    rounds.push(await asApiCaller(apiDbUrl, authUserId, orgId, async (c) => {
      const t: Record<string, number> = {};
      const ex = async (name: string, text: string, values: unknown[]) => {
        const r = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, values);
        const plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
        t[name] = executionMs(plan);
        if (name === 'update workflows (+ triggers)') triggers = triggerLines(plan);
      };
      const v = (await c.query<{ v: number }>('select definition_version as v from public.workflows where id = $1', [wf.id])).rows[0]!.v;
      await ex('current_org_role()', 'select app.current_org_role() as role', []);
      await ex('findWorkflow (before)', find.sql, find.parameters as unknown[]);
      await ex('update workflows (+ triggers)', `update public.workflows set definition = $1, definition_version = definition_version + 1
        where org_id = $2 and id = $3 and definition_version = $4 returning id`, [defText(round), orgId, wf.id, v]);
      await ex('delete workflow_edges', 'delete from public.workflow_edges where org_id = $1 and workflow_id = $2', [orgId, wf.id]);
      await ex('delete workflow_nodes', 'delete from public.workflow_nodes where org_id = $1 and workflow_id = $2', [orgId, wf.id]);
      await ex('insert workflow_nodes', `insert into public.workflow_nodes (org_id, workflow_id, node_id, node_type, component_id, config, position)
        select $1::uuid, $2::uuid, n.id, n.kind,
               (select c.id from public.components c where c.org_id is null and c.name = n.kind order by c.created_at desc, c.id limit 1),
               coalesce(n.config, '{}'::jsonb), n.position
        from jsonb_to_recordset($3::jsonb) as n(id text, kind text, config jsonb, position jsonb)`, [orgId, wf.id, nodes]);
      await ex('insert workflow_edges', `insert into public.workflow_edges (org_id, workflow_id, edge_id, source_node_id, target_node_id, source_handle)
        select $1::uuid, $2::uuid, e.id, e.source, e.target, e.source_handle
        from jsonb_to_recordset($3::jsonb) as e(id text, source text, target text, source_handle text)`, [orgId, wf.id, edges]);
      await ex('findWorkflow (after)', find.sql, find.parameters as unknown[]);
      return t;
    }));
  }
  const statementMs: Record<string, number> = {};
  for (const k of Object.keys(rounds[0]!)) {
    const xs = rounds.map((r) => r[k]!).sort((a, b) => a - b);
    statementMs[k] = xs[xs.length >> 1]!;
  }
  const sumMs = Math.round(Object.values(statementMs).reduce((a, b) => a + b, 0) * 100) / 100;
  // The PATCH itself, one at a time.
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const body = `{"definitionVersion":${wf.definitionVersion},"definition":${bodies[i % 2]!}}`;
    const t = performance.now();
    const res = await fetch(`${apiUrl}/v1/orgs/${orgId}/workflows/${wf.id}`, { method: 'PATCH', headers: { cookie: caller.cookie, 'content-type': 'application/json' }, body });
    const text = await res.text();
    times.push(performance.now() - t);
    if (res.status === 200) wf.definitionVersion += 1;
    else wf.definitionVersion = (JSON.parse(text) as { currentDefinitionVersion: number }).currentDefinitionVersion;
  }
  times.sort((a, b) => a - b);
  return {
    note: 'server-side execution time of each statement (explain analyze, as the caller, rolled back), median of 5; triggers as reported for the update',
    statementMs, sumMs, triggers, patchSequentialMedianMs: Math.round(times[times.length >> 1]! * 100) / 100,
  };
}

/**
 * Index changes measured on this database, each before and after (2 and 3 have since become
 * migrations 20260105000900 and 20260105000800; they are measured without, then with them):
 *   1. runs context search: a GIN index on (org_id, context) with btree_gin, so the org filter is
 *      applied inside the index instead of walking the org's runs newest first;
 *   2. the worker's polls (versions.ts servedVersionsFrom every WB_DEPLOY_POLL_MS, reconciler.ts
 *      every 5 s) filter `status in ('pending', 'running')` with no index that leads with status:
 *      partial indexes on the open runs;
 *   3. the workflows list's node_count (jsonb_array_length of each definition, detoasted) vs
 *      the stored node_count / edge_count columns.
 */
async function schemaExperiments(db: { admin: string; api: string; worker: string }, authUserId: string, caller: Account, context: string,
  rerun: (scenario: string) => Promise<ScenarioResult | null>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const orgId = caller.orgId;
  const apiDb = createDb(db.api, { max: 1 });
  const tx = apiDb as unknown as Tx;
  const runsQ = tx.selectFrom('user_workflow_run as r')
    .leftJoin('workflows as w', (j) => j.onRef('w.id', '=', 'r.workflow_id').onRef('w.org_id', '=', 'r.org_id'))
    .select(['r.run_id', 'r.workflow_id', 'w.name as workflow_name', 'r.project_id', 'r.status', 'r.channel', 'r.started_at', 'r.ended_at',
      'r.duration_ms', 'r.created_at', 'r.compiled_version', 'r.client_id', cursorTs('r.created_at').as('cursor_ts')])
    .where('r.org_id', '=', orgId).where(sql<boolean>`r.context @> ${context}::jsonb`)
    .orderBy('r.created_at', 'desc').orderBy('r.run_id', 'desc').limit(51).compile();
  const wfList = workflowsQuery(tx, orgId).orderBy('w.created_at', 'desc').orderBy('w.id', 'desc').limit(51).compile();
  const wfListCounted = workflowsQuery(tx, orgId).select(nodeCount.as('counted_nodes')).orderBy('w.created_at', 'desc').orderBy('w.id', 'desc').limit(51).compile();
  await apiDb.destroy();
  const explainAsCaller = (text: string, values: readonly unknown[], setup: string[] = []) => asApiCaller(db.api, authUserId, orgId, async (c) => {
    for (const st of setup) await c.query(st);
    let plan = '';
    for (let i = 0; i < 3; i++) plan = (await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, values as unknown[])).rows.map((r) => r['QUERY PLAN']).join('\n');
    return plan;
  });
  const explainAsWorker = (text: string) => withPg(db.worker, async (c) => {
    await c.query('set role service_role');
    let plan = '';
    for (let i = 0; i < 3; i++) plan = (await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    return plan;
  });
  const owner = <T>(fn: (c: pg.Client) => Promise<T>) => withPg(db.admin, fn);

  // 1. Context search.
  try {
    const before = await explainAsCaller(runsQ.sql, runsQ.parameters);
    // The plan the planner rejects: the existing GIN index on context (bitmap), then the org
    // filter and a sort of the matches.
    const ginPath = await explainAsCaller(runsQ.sql, runsQ.parameters, ['set local enable_indexscan = off']);
    // The same forced through a materialized CTE (what the route could send when q is given).
    const cteSql = `with m as materialized (select * from public.user_workflow_run r where r.org_id = $1 and r.context @> $2::jsonb)
      select r.run_id, r.workflow_id, w.name as workflow_name, r.project_id, r.status, r.channel, r.started_at, r.ended_at, r.duration_ms,
             r.created_at, r.compiled_version, r.client_id, to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts
      from m r left join public.workflows w on w.id = r.workflow_id and w.org_id = r.org_id
      order by r.created_at desc, r.run_id desc limit 51`;
    const cte = await explainAsCaller(cteSql, [orgId, context]);
    // And a common label ({"env":"prod"}: half of the org's runs) through the same CTE: the cost of forcing it.
    const cteCommon = await explainAsCaller(cteSql, [orgId, JSON.stringify({ env: 'prod' })]);
    const common = await explainAsCaller(runsQ.sql, [orgId, JSON.stringify({ env: 'prod' }), ...runsQ.parameters.slice(2)]);
    out.contextSearchPaths = {
      currentPlanMs: executionMs(before), ginBitmapPathMs: executionMs(ginPath), materializedCteMs: executionMs(cte),
      commonLabel: { currentPlanMs: executionMs(common), materializedCteMs: executionMs(cteCommon) },
      ginPlan: ginPath, ctePlan: cte,
    };
    log(`experiment 1a: context search ${executionMs(before)} ms as planned, ${executionMs(ginPath)} ms via the context GIN index, ${executionMs(cte)} ms as a materialized CTE; common label: ${executionMs(common)} ms as planned, ${executionMs(cteCommon)} ms via CTE`);
    log('experiment 1: create extension btree_gin; gin (org_id, context jsonb_path_ops)');
    const t = performance.now();
    await owner(async (c) => {
      await c.query('create extension if not exists btree_gin');
      await c.query('create index bench_run_org_context on public.user_workflow_run using gin (org_id, context jsonb_path_ops)');
      await c.query('analyze public.user_workflow_run');
    });
    const buildS = Math.round((performance.now() - t) / 100) / 10;
    const after = await explainAsCaller(runsQ.sql, runsQ.parameters);
    const http = await rerun('list-runs-context');
    out.contextSearch = { beforeMs: executionMs(before), afterMs: executionMs(after), indexBuildS: buildS, afterPlan: after, http };
    log(`experiment 1: ${executionMs(before)} ms -> ${executionMs(after)} ms; http ${http ? `${Math.round(http.rps)} req/s p99 ${http.latencyMs.p99} ms` : '-'}`);
    await owner((c) => c.query('drop index public.bench_run_org_context'));
  } catch (e) {
    out.contextSearch = { error: String(e) };
  }

  // 2. Worker polls.
  const served = `with recursive served as (
        select c.workflow_id, c.version from public.workflow_compiled_code c where c.is_active
        union
        select r.workflow_id, r.compiled_version from public.user_workflow_run r
        where r.status in ('pending', 'running') and r.compiled_version is not null
        union
        select (child ->> 'workflowId')::uuid, (child ->> 'version')::int
        from served s
        join public.workflow_compiled_code c on c.workflow_id = s.workflow_id and c.version = s.version
        cross join lateral jsonb_array_elements(c.child_versions) child
      )
      select c.org_id, w.project_id, p.task_queue_name, c.workflow_id, c.version, c.is_active, c.workflow_type, c.content_hash
      from served s
      join public.workflow_compiled_code c on c.workflow_id = s.workflow_id and c.version = s.version
      join public.workflows w on w.id = c.workflow_id
      join public.projects p on p.id = w.project_id
      where p.is_active and c.workflow_type is not null
      order by w.project_id, c.workflow_type`;
  const reconcile = `select run_id, org_id, project_id, workflow_id, workstream_slug, compiled_version, temporal_workflow_id, temporal_run_id, created_at
      from public.user_workflow_run
      where status in ('pending', 'running') and created_at < now() - interval '2 seconds'
      order by updated_at asc limit 200`;
  try {
    // Without, then with, the partial indexes of migration 20260105000900_open_run_indexes.sql.
    await owner(async (c) => {
      await c.query('drop index if exists public.idx_user_workflow_run_open_versions');
      await c.query('drop index if exists public.idx_user_workflow_run_open_updated');
      await c.query('analyze public.user_workflow_run');
    });
    const sBefore = await explainAsWorker(served);
    const rBefore = await explainAsWorker(reconcile);
    await owner(async (c) => {
      await c.query(`create index idx_user_workflow_run_open_versions on public.user_workflow_run (workflow_id, compiled_version)
        where status in ('pending', 'running') and compiled_version is not null`);
      await c.query(`create index idx_user_workflow_run_open_updated on public.user_workflow_run (updated_at) where status in ('pending', 'running')`);
      await c.query('analyze public.user_workflow_run');
    });
    const sAfter = await explainAsWorker(served);
    const rAfter = await explainAsWorker(reconcile);
    out.workerPolls = {
      servedVersions: { beforeMs: executionMs(sBefore), afterMs: executionMs(sAfter), beforePlan: sBefore, afterPlan: sAfter },
      reconciler: { beforeMs: executionMs(rBefore), afterMs: executionMs(rAfter), beforePlan: rBefore, afterPlan: rAfter },
    };
    log(`experiment 2: servedVersions ${executionMs(sBefore)} -> ${executionMs(sAfter)} ms; reconciler ${executionMs(rBefore)} -> ${executionMs(rAfter)} ms`);
  } catch (e) {
    out.workerPolls = { error: String(e) };
  }

  // 3. node_count in the workflows list: counted from each definition (before 20260105000800) vs stored.
  try {
    const withCount = await explainAsCaller(wfListCounted.sql, wfListCounted.parameters);
    const withoutCount = await explainAsCaller(wfList.sql, wfList.parameters);
    out.workflowsNodeCount = { countedFromDefinitionMs: executionMs(withCount), storedColumnsMs: executionMs(withoutCount) };
    log(`experiment 3: workflows list ${executionMs(withCount)} ms counting each definition's nodes, ${executionMs(withoutCount)} ms with the stored counts`);
  } catch (e) {
    out.workflowsNodeCount = { error: String(e) };
  }
  return out;
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
