import { sql } from 'kysely';
import type { Database } from '@workflow-builder/db';
import type { ServedVersion } from './manager.ts';

interface Row {
  org_id: string;
  project_id: string;
  task_queue_name: string;
  workflow_id: string;
  version: number;
  is_active: boolean;
  workflow_type: string;
  content_hash: string;
  workflow_code: string;
  activities_code: string | null;
  worker_code: string | null;
  package_json: string | null;
  tsconfig_json: string | null;
  runtime_hash: string | null;
}

/**
 * Versions the worker manager must serve: every active version, every version with runs still
 * open (so in-flight runs finish on their own code), and, transitively, every version those start
 * as child workflows.
 */
export function servedVersionsFrom(db: Database) {
  return async (): Promise<ServedVersion[]> => {
    const rows = await sql<Row>`
      with recursive served as (
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
      select c.org_id, w.project_id, p.task_queue_name, c.workflow_id, c.version, c.is_active, c.workflow_type, c.content_hash,
             c.workflow_code, c.activities_code, c.worker_code, c.package_json, c.tsconfig_json, c.runtime_hash
      from served s
      join public.workflow_compiled_code c on c.workflow_id = s.workflow_id and c.version = s.version
      join public.workflows w on w.id = c.workflow_id
      join public.projects p on p.id = w.project_id
      where p.is_active and c.workflow_type is not null
      order by w.project_id, c.workflow_type`.execute(db);
    return rows.rows.map((r) => ({
      orgId: r.org_id,
      projectId: r.project_id,
      taskQueue: r.task_queue_name,
      workflowId: r.workflow_id,
      version: r.version,
      isActive: r.is_active,
      bundle: {
        workflowType: r.workflow_type,
        contentHash: r.content_hash,
        taskQueue: r.task_queue_name,
        runtimeHash: r.runtime_hash,
        files: {
          workflowCode: r.workflow_code,
          activitiesCode: r.activities_code ?? '',
          workerCode: r.worker_code ?? '',
          packageJson: r.package_json ?? '{}',
          tsconfigJson: r.tsconfig_json ?? '{}',
        },
      },
    }));
  };
}

/** The stored runtime snapshots the bundler needs for versions pinned to an older runtime. */
export function runtimeSnapshotsFrom(db: Database) {
  return async (hashes: string[]): Promise<Record<string, Record<string, string>>> => {
    const rows = await sql<{ hash: string; files: Record<string, string> }>`
      select hash, files from public.runtime_snapshots where hash = any(${hashes}::text[])`.execute(db);
    return Object.fromEntries(rows.rows.map((r) => [r.hash, r.files]));
  };
}
