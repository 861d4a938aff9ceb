import { zipSync, strToU8 } from 'fflate';
import { sql } from 'kysely';
import type { Tx } from '@workflow-builder/db';
import type { CompiledWorkflow } from '@workflow-builder/compiler';
import { projectFiles } from '@workflow-builder/compiler/export-project';
import { EngineError } from './errors.ts';

/**
 * A compiled version as a standalone project (.zip): generated code, the runtime it was compiled
 * against (its stored snapshot), a package.json and a worker; `npm install && npm start` in it
 * runs a worker without the platform.
 */
export async function exportProjectZip(tx: Tx, workflowId: string, version?: number): Promise<{ fileName: string; zip: Uint8Array }> {
  const r = await sql<{ kebab_name: string; version: number; workflow_type: string; content_hash: string; task_queue_name: string;
    workflow_code: string; activities_code: string | null; worker_code: string | null; package_json: string | null; tsconfig_json: string | null }>`
    select w.kebab_name, c.version, c.workflow_type, c.content_hash, p.task_queue_name, c.workflow_code, c.activities_code,
           c.worker_code, c.package_json, c.tsconfig_json
    from public.workflow_compiled_code c
    join public.workflows w on w.id = c.workflow_id
    join public.projects p on p.id = w.project_id
    where c.workflow_id = ${workflowId} and ${version === undefined ? sql`c.is_active` : sql`c.version = ${version}`}
    order by c.version desc limit 1`.execute(tx);
  const row = r.rows[0];
  if (!row) throw new EngineError('not_found', version === undefined ? 'The workflow has no deployed version' : `Version ${version} does not exist`);
  const compiled: CompiledWorkflow = {
    workflowType: row.workflow_type, contentHash: row.content_hash, taskQueue: row.task_queue_name,
    files: {
      workflowCode: row.workflow_code, activitiesCode: row.activities_code ?? '', workerCode: row.worker_code ?? '',
      packageJson: row.package_json ?? '{}', tsconfigJson: row.tsconfig_json ?? '{}',
    },
  };
  // The runtime this version was compiled against (none stored: compiled before runtimes were
  // pinned, so it runs on the current one, as the worker does).
  const snapshot = await sql<{ files: Record<string, string> | null }>`select app.runtime_snapshot_of(${workflowId}, ${row.version}) as files`.execute(tx);
  const runtime = snapshot.rows[0]?.files ?? undefined;
  const folder = `${row.kebab_name}-v${row.version}`;
  const entries: Record<string, Uint8Array> = {};
  // A fixed timestamp keeps the archive byte-identical for the same version.
  for (const [p, content] of Object.entries(projectFiles(compiled, { runtime }))) entries[`${folder}/${p}`] = strToU8(content);
  return { fileName: `${folder}.zip`, zip: zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') }) };
}
