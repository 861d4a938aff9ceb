-- The worker's polls over open runs (apps/worker/src/versions.ts servedVersionsFrom every
-- WB_DEPLOY_POLL_MS, apps/worker/src/reconciler.ts every 5 s) filter status in ('pending',
-- 'running'). Almost every run is closed, so without these the planner walks an
-- (org_id, status, ...) index once or twice per organisation (Postgres 18 skip scan) or, on
-- Postgres < 18 (compose runs 16), reads the whole index. Partial indexes hold only open runs:
-- they stay as small as the number of runs in flight.
create index idx_user_workflow_run_open_versions on public.user_workflow_run (workflow_id, compiled_version)
  where status in ('pending', 'running') and compiled_version is not null;
create index idx_user_workflow_run_open_updated on public.user_workflow_run (updated_at)
  where status in ('pending', 'running');
