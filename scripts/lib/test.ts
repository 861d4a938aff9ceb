import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repoRoot, startTestServices } from '@workflow-builder/devstack';

interface SuiteResult { passed: number; failed: number; skipped: number }
type Totals = Map<string, SuiteResult>;

const resultsDir = path.join(repoRoot, 'test-results');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: repoRoot, env, stdio: 'inherit' });
    p.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

/** Type-checks every workspace package: one result per package. */
async function typecheckSuite(env: NodeJS.ProcessEnv, totals: Totals): Promise<void> {
  const dirs: string[] = [path.join(repoRoot, 'scripts')];
  for (const group of ['packages', 'apps']) {
    for (const name of (await fs.readdir(path.join(repoRoot, group)).catch(() => [])).sort()) {
      const dir = path.join(repoRoot, group, name);
      const hasConfig = await fs.stat(path.join(dir, 'tsconfig.json')).then(() => true, () => false);
      const hasSources = (await fs.readdir(path.join(dir, 'src'), { recursive: true }).catch(() => [] as string[])).some((f) => /\.tsx?$/.test(String(f)));
      if (hasConfig && hasSources) dirs.push(dir);
    }
  }
  const suite: SuiteResult = { passed: 0, failed: 0, skipped: 0 };
  for (const dir of dirs) {
    const code = await run(bin('tsc'), ['-p', path.join(dir, 'tsconfig.json'), '--noEmit'], env);
    if (code === 0) suite.passed++; else { suite.failed++; console.error(`typecheck failed: ${path.relative(repoRoot, dir)}`); }
  }
  totals.set('typecheck', suite);
}

interface VitestJson {
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ status: string }> }>;
}

/** Unit and integration tests of every package in one Vitest run, counted per package. */
async function vitestSuites(env: NodeJS.ProcessEnv, totals: Totals, extraArgs: string[]): Promise<number> {
  const out = path.join(resultsDir, 'vitest.json');
  await fs.rm(out, { force: true });
  const code = await run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extraArgs], env);
  const report = JSON.parse(await fs.readFile(out, 'utf8').catch(() => '{"testResults":[]}')) as VitestJson;
  for (const file of report.testResults) {
    const rel = path.relative(repoRoot, file.name).split(path.sep);
    const suiteName = rel.length > 2 ? `${rel[0]}/${rel[1]}` : rel.join('/');
    const s = totals.get(suiteName) ?? { passed: 0, failed: 0, skipped: 0 };
    for (const a of file.assertionResults) {
      if (a.status === 'passed') s.passed++;
      else if (a.status === 'failed') s.failed++;
      else s.skipped++;
    }
    // A file that failed to load has no assertions but must still count as a failure.
    if (file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed')) s.failed++;
    totals.set(suiteName, s);
  }
  if (code !== 0 && ![...totals.values()].some((s) => s.failed > 0)) totals.set('vitest', { passed: 0, failed: 1, skipped: 0 });
  return code;
}

export async function runTests(args: string[]): Promise<number> {
  await fs.mkdir(resultsDir, { recursive: true });
  const started = Date.now();
  console.log('Starting Postgres and Temporal for the test run...');
  const services = await startTestServices();
  const env = { ...process.env, ...services.env };
  const totals: Totals = new Map();
  try {
    if (!args.includes('--no-typecheck')) await typecheckSuite(env, totals);
    await vitestSuites(env, totals, args.filter((a) => a !== '--no-typecheck'));
  } finally {
    await services.stop();
  }
  const sum = { passed: 0, failed: 0, skipped: 0 };
  console.log(`\nTest suites (${Math.round((Date.now() - started) / 1000)} s):`);
  for (const [name, s] of [...totals.entries()].sort()) {
    sum.passed += s.passed; sum.failed += s.failed; sum.skipped += s.skipped;
    console.log(`  ${s.failed ? '✗' : '✓'} ${name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
  }
  const line = `${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}`;
  await fs.writeFile(path.join(resultsDir, 'summary.txt'), line + '\n');
  console.log(line);
  return sum.failed > 0 || sum.passed === 0 ? 1 : 0;
}
