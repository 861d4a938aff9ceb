import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanSource } from './workstream-key-scan.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SELF = new Set(['workstream-key-scan.ts', 'workstream-key-scan.test.ts']);

/** Every .ts/.tsx file of apps/* and packages/* (not dependencies or build output). */
function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !SELF.has(entry.name)) out.push(full);
  }
  return out;
}

const one = (source: string) => scanSource('snippet.ts', source).map((f) => f.reason);
const dollar = '$';
const tpl = (body: string) => `const r = await sql\`${body}\`.execute(tx);`;

describe('workstream composite key scan', () => {
  it('finds no query on a workstream-keyed table that filters by slug without workstream_slug', () => {
    const files = [...sourceFiles(path.join(root, 'apps')), ...sourceFiles(path.join(root, 'packages'))];
    expect(files.length).toBeGreaterThan(100);
    const findings = files.flatMap((file) => scanSource(path.relative(root, file), readFileSync(file, 'utf8')));
    expect(findings).toEqual([]);
  });

  it('would catch the workstream filter being dropped from real lookups', () => {
    // The client-config routes (Kysely) and the engine's run-config lookups (SQL), minus their workstream filters.
    const routes = readFileSync(path.join(root, 'apps/api/src/routes/client-configs/index.ts'), 'utf8');
    expect(scanSource('routes', routes)).toEqual([]);
    const withoutWs = routes.replace(".where('e.workstream_slug', '=', workstreamSlug)", '');
    expect(withoutWs).not.toBe(routes);
    expect(scanSource('routes', withoutWs).map((f) => f.reason)).toEqual(['filters e.slug without e.workstream_slug']);
    const noJoinKey = routes.replace(".onRef('c.workstream_slug', '=', 'e.workstream_slug')", '');
    expect(scanSource('routes', noJoinKey).map((f) => f.reason)).toContain('filters c.workflow_slug without c.workstream_slug');

    const engine = readFileSync(path.join(root, 'packages/engine/src/run-configs.ts'), 'utf8');
    const dropped = engine.replace(` and workstream_slug = ${dollar}{key.workstreamSlug}`, '');
    expect(dropped).not.toBe(engine);
    expect(scanSource('engine', dropped).map((f) => f.reason)).toEqual(['compares workflow_slug without workstream_slug']);
  });

  it('flags slug-only SQL (where, joins, any()), and accepts the composite key', () => {
    expect(one(tpl(`select config from public.client_workflow_configs where client_id = ${dollar}{c} and workflow_slug = ${dollar}{s}`)))
      .toEqual(['compares workflow_slug without workstream_slug']);
    expect(one(tpl(`select * from enrichment_registry e where e.slug = any(${dollar}{slugs})`))).toEqual(['compares e.slug without e.workstream_slug']);
    expect(one(tpl(`select cwc.config from batches b join client_workflow_configs cwc on b.client_id = cwc.client_id and cwc.workflow_slug = ${dollar}{step} where b.workstream_slug = ${dollar}{w}`)))
      .toEqual(['compares cwc.workflow_slug without cwc.workstream_slug']);
    expect(one(tpl(`delete from public.enrichment_results where workflow_slug in (${dollar}{a}, ${dollar}{b})`))).toHaveLength(1);

    expect(one(tpl(`select config from public.client_workflow_configs where workflow_slug = ${dollar}{s} and workstream_slug = ${dollar}{w}`))).toEqual([]);
    expect(one(tpl(`select 1 from batches b join client_workflow_configs cwc on b.client_id = cwc.client_id and cwc.workflow_slug = ${dollar}{s} and cwc.workstream_slug = b.workstream_slug`))).toEqual([]);
    // Not a filter: assignments, ordering, other tables' slug columns.
    expect(one(tpl(`update public.enrichment_registry set slug = ${dollar}{s} where id = ${dollar}{id}`))).toEqual([]);
    expect(one(tpl(`select o.slug from organizations o join enrichment_registry e on e.org_id = o.id where o.slug = ${dollar}{s} and e.id = ${dollar}{id}`))).toEqual([]);
    expect(one(tpl(`select slug from organizations where slug = ${dollar}{s}`))).toEqual([]);
  });

  it('flags slug-only Kysely chains and join conditions, and accepts the composite key', () => {
    expect(one(`await tx.selectFrom('client_workflow_configs').select('config').where('client_id', '=', c).where('workflow_slug', '=', s).executeTakeFirst();`))
      .toEqual(['filters workflow_slug without workstream_slug']);
    expect(one(`const q = tx.selectFrom('enrichment_registry as e').selectAll();\nawait q.where('e.slug', '=', slug).execute();`))
      .toEqual(['filters e.slug without e.workstream_slug']);
    expect(one(`tx.selectFrom('batches as b').leftJoin('client_workflow_configs as c', (j) => j.onRef('c.client_id', '=', 'b.client_id').onRef('c.workflow_slug', '=', 'b.step')).selectAll()`))
      .toEqual(['filters c.workflow_slug without c.workstream_slug']);
    expect(one(`tx.selectFrom('x as a').leftJoin('enrichment_registry as e', (j) => j.onRef('a.step', '=', 'e.slug'))`)).toEqual(['filters e.slug without e.workstream_slug']);

    expect(one(`await tx.selectFrom('client_workflow_configs').select('config').where('workflow_slug', '=', s).where('workstream_slug', '=', w).execute();`)).toEqual([]);
    expect(one(`tx.leftJoin('client_workflow_configs as c', (j) => j.onRef('c.workflow_slug', '=', 'e.slug').onRef('c.workstream_slug', '=', 'e.workstream_slug'))`)).toEqual([]);
    // Other tables' slug columns, and commented-out code, are not queries on keyed tables.
    expect(one(`tx.selectFrom('enrichment_registry as e').selectAll();\ntx.selectFrom('organizations as o').where('o.slug', '=', s);`)).toEqual([]);
    expect(one(`tx.selectFrom('organizations').where('slug', '=', s);`)).toEqual([]);
    expect(one(`// tx.selectFrom('enrichment_registry').where('slug', '=', s)`)).toEqual([]);
  });
});
