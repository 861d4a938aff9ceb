import { sql } from 'kysely';
import type { Database } from './connection.ts';
import { nodeKinds } from '@workflow-builder/definition';

/**
 * Upserts the built-in node kinds into `components` (org_id null, public), so the palette, the
 * config forms and the statistics read the same descriptors the compiler uses. Idempotent; run
 * as the owner or service_role (built-in rows are not writable by users).
 *
 * @example
 * await syncBuiltinComponents(db);
 */
export async function syncBuiltinComponents(db: Database): Promise<number> {
  const rows = nodeKinds.map((k) => ({
    name: k.kind,
    display_name: k.label,
    description: k.description,
    component_type: k.componentType,
    version: `${k.version}.0.0`,
    config_schema: k.configSchema,
    output_schema: k.outputSchema,
    tags: [k.category],
    capabilities: [k.runsIn === 'activity' ? 'io' : 'deterministic', ...(k.expressionFields.length ? ['expressions'] : [])],
    implementation_path: `builtin:${k.kind}`,
  }));
  const result = await sql`
    insert into public.components as c
      (org_id, name, display_name, description, component_type_id, version, created_by, visibility_id,
       config_schema, output_schema, tags, capabilities, implementation_path)
    select null, r.name, r.display_name, r.description, t.id, r.version, null, app.visibility_id('public'),
           r.config_schema, r.output_schema, r.tags, r.capabilities, r.implementation_path
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      name text, display_name text, description text, component_type text, version text,
      config_schema jsonb, output_schema jsonb, tags text[], capabilities text[], implementation_path text)
    join public.component_types t on t.name = r.component_type
    on conflict (name, version) where org_id is null do update set
      display_name = excluded.display_name, description = excluded.description,
      component_type_id = excluded.component_type_id, config_schema = excluded.config_schema,
      output_schema = excluded.output_schema, tags = excluded.tags, capabilities = excluded.capabilities,
      implementation_path = excluded.implementation_path, deprecated = false`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
