-- Runs: the consolidated run and step tables (seed 002), their configs and cache, the
-- compatibility views for the old trace tables, the Temporal execution history and activity
-- statistics (seeds 003/004).
--
-- Runs are listed newest first per organisation, so their indexes lead with org_id and sort
-- by created_at desc; page with keyset pagination on (created_at, run_id), never offset.

create table public.user_workflow_run (
  run_id               uuid primary key default gen_random_uuid(),
  org_id               uuid not null references public.organizations(id) on delete cascade,
  project_id           uuid not null,
  workflow_id          uuid not null,
  -- The workflow's workstream, kept with the run so lookups never need the workflow row.
  workstream_slug      varchar(100) not null,
  client_id            uuid,

  -- Execution
  status               text not null default 'pending'
                         check (status in ('pending', 'running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out')),
  channel              text not null,
  external_id          varchar(255),
  temporal_workflow_id varchar(255),
  temporal_run_id      varchar(255),
  -- workflow_compiled_code.version that ran.
  compiled_version     integer,
  -- The API request that started the run (tracing, idempotent retries).
  request_id           text,
  input                jsonb,
  output               jsonb,

  -- Timing
  started_at           timestamptz,
  ended_at             timestamptz,
  duration_ms          integer,

  -- Consolidated data (seed 002: replaced separate tables)
  context              jsonb not null default '{}'::jsonb,
  endpoints_used       jsonb not null default '[]'::jsonb,
  config_snapshot      jsonb,

  -- Errors
  error_message        text,
  error_details        jsonb,

  -- LLM tracking
  llm_prompt           text,
  llm_response         text,
  llm_model            varchar(100),
  llm_tokens_used      integer,

  -- Tier system
  tier                 smallint,
  tier_reason          text,

  created_at           timestamptz not null default now(),
  -- Who started it. A user who has runs cannot be deleted (deactivate them instead): run
  -- history is an audit trail.
  created_by           uuid not null references public.users(id),
  updated_at           timestamptz not null default now(),

  unique (org_id, run_id),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade,
  foreign key (org_id, project_id, workstream_slug)
    references public.projects(org_id, id, workstream_slug) on update cascade on delete cascade,
  foreign key (org_id, client_id) references public.clients(org_id, id) on delete set null (client_id)
);
-- run_id desc, matching `order by created_at desc, run_id desc`: with run_id ascending the
-- page needs an extra (incremental) sort step.
create index idx_user_workflow_run_org_created on public.user_workflow_run(org_id, created_at desc, run_id desc);
create index idx_user_workflow_run_org_workflow on public.user_workflow_run(org_id, workflow_id, created_at desc);
create index idx_user_workflow_run_org_status on public.user_workflow_run(org_id, status, created_at desc);
create index idx_user_workflow_run_org_project on public.user_workflow_run(org_id, project_id, workstream_slug);
create index idx_user_workflow_run_org_client on public.user_workflow_run(org_id, client_id);
create index idx_user_workflow_run_created_by on public.user_workflow_run(created_by);
create index idx_user_workflow_run_temporal on public.user_workflow_run(temporal_workflow_id, temporal_run_id);
create index idx_user_workflow_run_request_id on public.user_workflow_run(org_id, request_id) where request_id is not null;
-- `context @> '{...}'` searches (seed 002).
create index idx_run_context_gin on public.user_workflow_run using gin(context jsonb_path_ops);

create table public.user_workflow_run_step (
  step_id       uuid primary key default gen_random_uuid(),
  org_id        uuid not null references public.organizations(id) on delete cascade,
  run_id        uuid not null,
  -- Text, not the seed's uuid: node ids are the editor's string ids ("http-1"), the same
  -- values as workflow_nodes.node_id.
  node_id       varchar(255) not null,
  -- The node's type when it ran (activity, agent, branch...), so steps read without the graph.
  node_kind     varchar(50),

  step_number   integer not null,
  status        text not null default 'pending'
                  check (status in ('pending', 'running', 'succeeded', 'failed', 'retried', 'skipped', 'cancelled', 'cached')),
  -- Attempts made (Temporal's attempt number); retry_count kept from the seed.
  attempt_count integer not null default 0 check (attempt_count >= 0),
  retry_count   integer not null default 0 check (retry_count >= 0),
  -- Which loop iteration this step belongs to (null outside loops).
  iteration_key text,

  started_at    timestamptz,
  ended_at      timestamptz,
  duration_ms   integer,

  input_data    jsonb,
  output_data   jsonb,

  screenshots   jsonb not null default '[]'::jsonb,
  events        jsonb not null default '[]'::jsonb,

  error_message text,
  error_details jsonb,

  metadata      jsonb not null default '{}'::jsonb,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),

  unique (run_id, step_number),
  foreign key (org_id, run_id) references public.user_workflow_run(org_id, run_id) on delete cascade
);
create index idx_user_workflow_run_step_org_run on public.user_workflow_run_step(org_id, run_id);
create index idx_user_workflow_run_step_node on public.user_workflow_run_step(run_id, node_id);
-- `events @> '[{"type": "error"}]'` searches (seed 002).
create index idx_step_events_gin on public.user_workflow_run_step using gin(events jsonb_path_ops);

-- Renamed from workflow_configs (seed 002): named, versioned configurations of a workflow.
create table public.user_workflow_config (
  id          uuid primary key default gen_random_uuid(),
  org_id      uuid not null references public.organizations(id) on delete cascade,
  workflow_id uuid not null,
  name        varchar(255) not null,
  version     integer not null default 1 check (version >= 1),
  config      jsonb not null default '{}'::jsonb,
  is_active   boolean not null default true,
  created_by  uuid references public.users(id) on delete set null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (workflow_id, name, version),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_user_workflow_config_org_workflow on public.user_workflow_config(org_id, workflow_id);
create index idx_user_workflow_config_created_by on public.user_workflow_config(created_by);

-- Renamed from micro_state (seed 002): cached node results between runs.
create table public.user_workflow_cache_state (
  id          uuid primary key default gen_random_uuid(),
  org_id      uuid not null references public.organizations(id) on delete cascade,
  workflow_id uuid not null,
  cache_key   text not null,
  node_id     varchar(255) not null,
  value       jsonb,
  -- Null: never expires.
  expires_at  timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (workflow_id, node_id, cache_key),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_user_workflow_cache_state_org_workflow on public.user_workflow_cache_state(org_id, workflow_id);
create index idx_user_workflow_cache_state_expires_at on public.user_workflow_cache_state(expires_at) where expires_at is not null;

-- ---------------------------------------------------------------------------
-- Compatibility views for the pre-consolidation names (seed 002). security_invoker: the
-- view reads the tables as its caller, so their row-level security applies (a plain view
-- would read them as its owner, who bypasses it, and show every organisation's runs).
-- ---------------------------------------------------------------------------

create view public.workflow_trace with (security_invoker = true) as
select
  r.run_id          as trace_id,
  r.workflow_id,
  r.org_id,
  r.project_id,
  r.workstream_slug,
  r.status,
  r.channel,
  r.external_id,
  r.started_at,
  r.ended_at,
  r.duration_ms,
  r.context,
  r.endpoints_used,
  r.config_snapshot,
  r.error_message,
  r.error_details,
  r.llm_prompt,
  r.llm_response,
  r.llm_model,
  r.llm_tokens_used,
  r.tier,
  r.tier_reason,
  r.created_at,
  r.created_by,
  r.updated_at
from public.user_workflow_run r;

create view public.workflow_steps with (security_invoker = true) as
select
  s.step_id,
  s.run_id        as trace_id,
  s.org_id,
  s.node_id,
  s.step_number,
  s.status,
  s.retry_count,
  s.started_at,
  s.ended_at,
  s.duration_ms,
  s.input_data,
  s.output_data,
  s.screenshots,
  s.events,
  s.error_message,
  s.error_details,
  s.metadata,
  s.created_at,
  s.updated_at
from public.user_workflow_run_step s;

-- ---------------------------------------------------------------------------
-- Temporal execution history (seeds 003/004)
-- ---------------------------------------------------------------------------

create table public.workflow_executions (
  id                   uuid primary key default gen_random_uuid(),
  org_id               uuid not null references public.organizations(id) on delete cascade,
  -- Null together for a template run outside any project.
  project_id           uuid,
  workstream_slug      varchar(100),
  -- Null for a template run with no workflow row.
  workflow_id          uuid,
  -- Exactly one source (seed 004): a template, or a user workflow.
  template_id          varchar(255) references public.workflow_templates(id) on delete set null,
  user_workflow_id     uuid,
  run_id               uuid unique,
  client_id            uuid,
  temporal_run_id      varchar(255) unique,
  temporal_workflow_id varchar(255),
  -- Spelled as in user_workflow_run ('cancelled', not the seed's 'canceled').
  status               varchar(50) not null default 'running'
                         check (status in ('pending', 'running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out')),
  compiled_version     integer,
  request_id           text,
  inputs               jsonb not null default '{}'::jsonb,
  outputs              jsonb,
  error                text,
  started_at           timestamptz not null default now(),
  completed_at         timestamptz,
  duration_ms          integer,
  constraint workflow_executions_source_check check (
    (template_id is not null and user_workflow_id is null) or
    (template_id is null and user_workflow_id is not null)
  ),
  constraint workflow_executions_project_check check ((project_id is null) = (workstream_slug is null)),
  foreign key (org_id, project_id, workstream_slug)
    references public.projects(org_id, id, workstream_slug) on update cascade on delete cascade,
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade,
  -- Seed 004: cascade (the user workflow is gone with its workflow).
  foreign key (org_id, user_workflow_id) references public.user_workflows(org_id, id) on delete cascade,
  foreign key (org_id, run_id) references public.user_workflow_run(org_id, run_id) on delete cascade,
  foreign key (org_id, client_id) references public.clients(org_id, id) on delete set null (client_id)
);
create index idx_workflow_executions_org_started on public.workflow_executions(org_id, started_at desc, id desc);
create index idx_workflow_executions_workflow_id on public.workflow_executions(org_id, workflow_id, started_at desc);
create index idx_workflow_executions_status on public.workflow_executions(org_id, status, started_at desc);
create index idx_workflow_executions_started_at on public.workflow_executions(started_at);
create index idx_workflow_executions_user_workflow_id on public.workflow_executions(org_id, user_workflow_id);
create index idx_workflow_executions_template_id on public.workflow_executions(template_id);
create index idx_workflow_executions_project on public.workflow_executions(org_id, project_id, workstream_slug);
create index idx_workflow_executions_client on public.workflow_executions(org_id, client_id);
create index idx_workflow_executions_temporal_workflow_id on public.workflow_executions(temporal_workflow_id);

-- Activity performance per component: one row per (component, workflow), plus one with
-- workflow_id null for the component across the organisation's workflows.
create table public.activity_statistics (
  id               uuid primary key default gen_random_uuid(),
  org_id           uuid not null references public.organizations(id) on delete cascade,
  -- Built-in and public components belong to no or another organisation: a plain key.
  component_id     uuid not null references public.components(id) on delete cascade,
  workflow_id      uuid,
  execution_count  bigint not null default 0,
  success_count    bigint not null default 0,
  failure_count    bigint not null default 0,
  avg_duration_ms  integer not null default 0,
  min_duration_ms  integer,
  max_duration_ms  integer,
  last_executed_at timestamptz,
  updated_at       timestamptz not null default now(),
  -- NULLS NOT DISTINCT: the workflow_id-null row is unique too (plain unique lets nulls
  -- repeat). Per organisation: a built-in component's usage in one organisation must
  -- neither be shared with nor mixed into another's.
  constraint activity_statistics_component_workflow_key unique nulls not distinct (org_id, component_id, workflow_id),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_activity_statistics_component_id on public.activity_statistics(component_id);
create index idx_activity_statistics_workflow_id on public.activity_statistics(org_id, workflow_id);
create index idx_activity_statistics_last_executed_at on public.activity_statistics(last_executed_at);

-- ---------------------------------------------------------------------------
-- Row-level security: runs are isolated by organisation (seed 002's
-- `current_setting('app.current_org_id')` is app.current_org_id() here).
-- ---------------------------------------------------------------------------

alter table public.user_workflow_run enable row level security;
create policy user_workflow_run_read on public.user_workflow_run for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy user_workflow_run_insert on public.user_workflow_run for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy user_workflow_run_update on public.user_workflow_run for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy user_workflow_run_delete on public.user_workflow_run for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.user_workflow_run_step enable row level security;
create policy user_workflow_run_step_read on public.user_workflow_run_step for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy user_workflow_run_step_insert on public.user_workflow_run_step for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy user_workflow_run_step_update on public.user_workflow_run_step for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy user_workflow_run_step_delete on public.user_workflow_run_step for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.user_workflow_config enable row level security;
create policy user_workflow_config_read on public.user_workflow_config for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy user_workflow_config_insert on public.user_workflow_config for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy user_workflow_config_update on public.user_workflow_config for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy user_workflow_config_delete on public.user_workflow_config for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.user_workflow_cache_state enable row level security;
create policy user_workflow_cache_state_read on public.user_workflow_cache_state for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy user_workflow_cache_state_insert on public.user_workflow_cache_state for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy user_workflow_cache_state_update on public.user_workflow_cache_state for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy user_workflow_cache_state_delete on public.user_workflow_cache_state for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_executions enable row level security;
create policy workflow_executions_read on public.workflow_executions for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_executions_insert on public.workflow_executions for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_executions_update on public.workflow_executions for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_executions_delete on public.workflow_executions for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.activity_statistics enable row level security;
create policy activity_statistics_read on public.activity_statistics for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy activity_statistics_insert on public.activity_statistics for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy activity_statistics_update on public.activity_statistics for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy activity_statistics_delete on public.activity_statistics for delete to authenticated
  using (org_id = (select app.writable_org_id()));

create trigger update_user_workflow_run_updated_at before update on public.user_workflow_run
  for each row execute function public.update_updated_at_column();
create trigger update_user_workflow_run_step_updated_at before update on public.user_workflow_run_step
  for each row execute function public.update_updated_at_column();
create trigger update_user_workflow_config_updated_at before update on public.user_workflow_config
  for each row execute function public.update_updated_at_column();
create trigger update_user_workflow_cache_state_updated_at before update on public.user_workflow_cache_state
  for each row execute function public.update_updated_at_column();
create trigger update_activity_statistics_updated_at before update on public.activity_statistics
  for each row execute function public.update_updated_at_column();
