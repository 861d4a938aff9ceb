import { sql } from 'kysely';
import type { Database } from '@workflow-builder/db';

/**
 * Ends a batch FAILED because its orchestrator failed, with the reason in `batches.error`. Items
 * and states that were in flight fail with the reason too, so retry-failed can run them again;
 * items never claimed stay PENDING. Idempotent and a no-op once the batch has ended.
 * Returns whether the batch was open (and is now FAILED).
 */
export async function failBatch(db: Database, batchId: string, reason: string): Promise<boolean> {
  // The reconciler calls it inside its own transaction (holding the batch's row lock).
  const inTx = <T>(fn: (tx: Database) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  return inTx(async (tx) => {
    const open = await sql<{ id: string }>`select id from public.batches where id = ${batchId}
                                           and status in ('PENDING', 'RUNNING', 'PAUSED') for update`.execute(tx);
    if (!open.rows.length) return false;
    await sql`update public.workflow_states set status = 'FAILED', error = ${reason}, ended_at = now()
              where batch_id = ${batchId} and status = 'RUNNING'`.execute(tx);
    await sql`update public.batch_items set status = 'FAILED' where batch_id = ${batchId} and status = 'RUNNING'`.execute(tx);
    // Nothing waits for these callbacks any more.
    await sql`update public.batch_callbacks set used_at = now() where batch_id = ${batchId} and used_at is null`.execute(tx);
    await sql`
      update public.batches b set status = 'FAILED', error = ${reason}, completed_items = c.completed, failed_items = c.failed
      from (select count(*) filter (where status = 'COMPLETED')::int as completed, count(*) filter (where status = 'FAILED')::int as failed
            from public.batch_items where batch_id = ${batchId}) c
      where b.id = ${batchId}`.execute(tx);
    return true;
  });
}
