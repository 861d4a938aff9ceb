import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { validateWorkflow } from '@workflow-builder/definition';
import { createTestDatabase, type TestDatabase } from '@workflow-builder/devstack';
import { createDb } from './connection.ts';
import { builtinTemplates, syncBuiltinTemplates } from './templates.ts';

describe('built-in workflow templates', () => {
  it.each(builtinTemplates.map((t) => [t.id, t] as const))('%s is a valid workflow definition', (_id, template) => {
    expect(validateWorkflow(template.definition)).toEqual([]);
  });

  it('have unique kebab-case ids and cover at least eight templates', () => {
    expect(builtinTemplates.length).toBeGreaterThanOrEqual(8);
    const ids = builtinTemplates.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of builtinTemplates) {
      expect(t.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(t.name.length).toBeGreaterThan(0);
      expect(t.goal.length).toBeGreaterThan(0);
      expect(t.category).toMatch(/^[a-z0-9-]+$/);
      expect(t.steps.length).toBeGreaterThan(0);
      expect(t.outputs.length).toBeGreaterThan(0);
    }
  });

  it('use the node kinds the brief asks for', () => {
    const kinds = new Set(builtinTemplates.flatMap((t) => t.definition.nodes.map((n) => n.kind)));
    for (const kind of ['http.request', 'signal.wait', 'trigger.schedule', 'trigger.webhook', 'flow.parallel', 'flow.join', 'ai.agent', 'flow.forEach', 'branch.switch', 'queue.process']) {
      expect(kinds, kind).toContain(kind);
    }
  });
});

describe('syncBuiltinTemplates', () => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase('templates'); });
  afterAll(() => tdb.drop());

  it('upserts every template as a public, active built-in row, idempotently and keeping usage counts', async () => {
    const db = createDb(tdb.admin, { max: 1 });
    try {
      await syncBuiltinTemplates(db);
      await sql`update public.workflow_templates set usage_count = 7, name = 'Renamed', is_active = false where id = ${builtinTemplates[0]!.id}`.execute(db);
      await syncBuiltinTemplates(db);
      const rows = await sql<{ id: string; name: string; visibility: string; org_id: string | null; is_active: boolean; usage_count: number; definition: unknown; category: string }>`
        select t.id, t.name, v.name as visibility, t.org_id, t.is_active, t.usage_count, t.definition, t.category
        from public.workflow_templates t join public.component_visibility v on v.id = t.visibility_id
        where t.org_id is null order by t.id`.execute(db);
      expect(rows.rows.map((r) => r.id)).toEqual(builtinTemplates.map((t) => t.id).sort());
      for (const r of rows.rows) {
        const t = builtinTemplates.find((b) => b.id === r.id)!;
        expect(r).toMatchObject({ name: t.name, visibility: 'public', org_id: null, is_active: true, category: t.category });
        expect(r.definition).toEqual(t.definition);
      }
      expect(rows.rows.find((r) => r.id === builtinTemplates[0]!.id)?.usage_count).toBe(7);
    } finally {
      await db.destroy();
    }
  });
});
