-- Why a batch ended FAILED when its orchestrator failed (a database activity kept failing, the
-- workflow was terminated or timed out in Temporal): shown in the batch detail. Null while the
-- batch runs and when it failed only because items failed (their errors are per step).
alter table public.batches add column error text;

-- A step's runs (all attempts, not only workflow_states.run_id, the latest) are found by the
-- context the orchestrator gives them: { batchId, itemId, step }.
create index idx_user_workflow_run_batch_item on public.user_workflow_run ((context->>'itemId'))
  where channel = 'batch';
