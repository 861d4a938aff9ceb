import { sql } from 'kysely';
import type { Database } from '@workflow-builder/db';

export type WorkerStatus = 'starting' | 'running' | 'stopped' | 'error';

/**
 * The workflow_workers rows of this process: one per project Worker, heartbeated together.
 * `worker_id` = `<process id>/<project id>/<generation>`, so a replaced Worker gets a new row and
 * the history of replacements stays visible.
 */
export class WorkerRegistry {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database, readonly processId: string, private readonly heartbeatMs = 10_000) {}

  workerId(projectId: string, generation: number): string {
    return `${this.processId}/${projectId}/${generation}`;
  }

  async set(workerId: string, project: { orgId: string; projectId: string; taskQueue: string }, status: WorkerStatus, error?: string): Promise<void> {
    await sql`
      insert into public.workflow_workers (org_id, project_id, worker_id, task_queue_name, status, last_heartbeat_at, error_message)
      values (${project.orgId}, ${project.projectId}, ${workerId}, ${project.taskQueue}, ${status}, now(), ${error ?? null})
      on conflict (worker_id) do update set
        status = excluded.status, last_heartbeat_at = now(), error_message = excluded.error_message,
        stopped_at = case when excluded.status in ('stopped', 'error') then now() else null end`.execute(this.db);
  }

  startHeartbeat(): void {
    this.timer = setInterval(() => {
      void sql`update public.workflow_workers set last_heartbeat_at = now()
               where worker_id like ${this.processId + '/%'} and status in ('starting', 'running')`.execute(this.db).catch(() => {});
    }, this.heartbeatMs);
    this.timer.unref();
  }

  /** Marks every still-running Worker of this process stopped (shutdown). */
  async stopAll(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await sql`update public.workflow_workers set status = 'stopped', stopped_at = now()
              where worker_id like ${this.processId + '/%'} and status in ('starting', 'running')`.execute(this.db);
  }
}
