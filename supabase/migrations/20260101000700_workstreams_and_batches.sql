-- Workstream steps and batches (seeds 000/001, the newest: they win on conflicts).
--
-- A step is identified by (slug, workstream_slug), never by slug alone: the same slug
-- (`normalize_all_core_values`) may exist in several workstreams with different
-- configurations. Every table that points at a step carries both columns, and the
-- workstream travels with the data from the batch to each item's state.

create table public.enrichment_registry (
  id                       uuid primary key default gen_random_uuid(),
  org_id                   uuid not null references public.organizations(id) on delete cascade,
  slug                     varchar(255) not null check (slug ~ '^[a-z0-9][a-z0-9_-]*$'),
  workstream_slug          varchar(100) not null,
  name                     varchar(255) not null,
  description              text,
  -- sync: runs workflow_id as a child workflow; async: calls async_endpoint_url and waits
  -- for its callback up to callback_timeout_seconds.
  type                     varchar(10) not null check (type in ('sync', 'async')),
  workflow_id              uuid,
  async_endpoint_url       text,
  callback_timeout_seconds integer check (callback_timeout_seconds > 0),
  config_schema            jsonb not null default '{}'::jsonb,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  constraint enrichment_registry_slug_workstream_unique unique (slug, workstream_slug),
  -- The workstream is one of the organisation's projects; renames cascade.
  constraint enrichment_registry_workstream_fkey foreign key (org_id, workstream_slug)
    references public.projects(org_id, workstream_slug) on update cascade on delete cascade,
  -- A workflow a step runs cannot be deleted from under it.
  constraint enrichment_registry_workflow_id_fkey foreign key (org_id, workflow_id)
    references public.workflows(org_id, id)
);
create index idx_enrichment_registry_org_workstream on public.enrichment_registry(org_id, workstream_slug);
create index idx_enrichment_registry_workflow_id on public.enrichment_registry(org_id, workflow_id);

create table public.client_workflow_configs (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null references public.organizations(id) on delete cascade,
  client_id       uuid not null,
  workflow_slug   varchar(255) not null,
  workstream_slug varchar(100) not null,
  config          jsonb not null default '{}'::jsonb,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  -- The upsert target of saveClientWorkflowConfig (seed 000).
  constraint client_workflow_configs_client_workflow_workstream_unique unique (client_id, workflow_slug, workstream_slug),
  -- Not in the seed: on update cascade so renaming a workstream carries its configs along,
  -- on delete cascade as a client's settings for a step mean nothing once the step is gone.
  constraint client_workflow_configs_workflow_fkey foreign key (workflow_slug, workstream_slug)
    references public.enrichment_registry(slug, workstream_slug) on update cascade on delete cascade,
  constraint client_workflow_configs_client_fkey foreign key (org_id, client_id)
    references public.clients(org_id, id) on delete cascade,
  -- The step key above holds no org_id (seed 000's exact key); this one keeps the workstream,
  -- and so the step, inside the row's organisation.
  constraint client_workflow_configs_workstream_fkey foreign key (org_id, workstream_slug)
    references public.projects(org_id, workstream_slug) on update cascade on delete cascade
);
create index idx_client_workflow_configs_org_client on public.client_workflow_configs(org_id, client_id);
create index idx_client_workflow_configs_workflow on public.client_workflow_configs(workflow_slug, workstream_slug);
create index idx_client_workflow_configs_org_workstream on public.client_workflow_configs(org_id, workstream_slug);

create table public.batches (
  id                   uuid primary key default gen_random_uuid(),
  org_id               uuid not null references public.organizations(id) on delete cascade,
  client_id            uuid not null,
  -- Source of truth for the workstream of everything in the batch (seed 001). Nullable there
  -- for backward compatibility; required here, there is no legacy data.
  workstream_slug      varchar(100) not null,
  -- The step slugs to run on each item, in order.
  blueprint            text[] not null,
  status               varchar(20) not null default 'PENDING'
                         check (status in ('PENDING', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED')),
  total_items          integer not null default 0 check (total_items >= 0),
  completed_items      integer not null default 0 check (completed_items >= 0),
  failed_items         integer not null default 0 check (failed_items >= 0),
  -- The orchestrating Temporal workflow.
  temporal_workflow_id varchar(255),
  created_by           uuid references public.users(id) on delete set null,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  unique (org_id, id),
  constraint batches_client_fkey foreign key (org_id, client_id)
    references public.clients(org_id, id) on delete cascade,
  constraint batches_workstream_fkey foreign key (org_id, workstream_slug)
    references public.projects(org_id, workstream_slug) on update cascade on delete cascade
);
create index idx_batches_workstream_slug on public.batches(workstream_slug);
create index idx_batches_org_created on public.batches(org_id, created_at desc, id desc);
create index idx_batches_org_client on public.batches(org_id, client_id);
create index idx_batches_org_workstream on public.batches(org_id, workstream_slug);
create index idx_batches_created_by on public.batches(created_by);

create table public.batch_items (
  id         uuid primary key default gen_random_uuid(),
  org_id     uuid not null references public.organizations(id) on delete cascade,
  batch_id   uuid not null,
  position   integer not null check (position >= 0),
  data       jsonb not null default '{}'::jsonb,
  status     varchar(20) not null default 'PENDING'
               check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (batch_id, position),
  unique (org_id, id),
  foreign key (org_id, batch_id) references public.batches(org_id, id) on delete cascade
);
create index idx_batch_items_org_batch on public.batch_items(org_id, batch_id);

-- One row per (item, step): the orchestrator's work list.
create table public.workflow_states (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null references public.organizations(id) on delete cascade,
  batch_id        uuid not null,
  item_id         uuid not null,
  step_name       varchar(255) not null,
  workstream_slug varchar(100) not null,
  status          varchar(20) not null default 'PENDING'
                    check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  error           text,
  attempts        integer not null default 0 check (attempts >= 0),
  -- The run that executed a sync step; kept if the run is deleted.
  run_id          uuid,
  started_at      timestamptz,
  ended_at        timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (item_id, step_name),
  foreign key (org_id, batch_id) references public.batches(org_id, id) on delete cascade,
  foreign key (org_id, item_id) references public.batch_items(org_id, id) on delete cascade,
  foreign key (org_id, workstream_slug)
    references public.projects(org_id, workstream_slug) on update cascade on delete cascade,
  foreign key (org_id, run_id) references public.user_workflow_run(org_id, run_id) on delete set null (run_id)
);
-- The orchestrator polls `where status = 'PENDING' order by updated_at` (seed 001).
create index idx_workflow_states_status_updated_at on public.workflow_states(status, updated_at);
create index idx_workflow_states_org_batch on public.workflow_states(org_id, batch_id);
create index idx_workflow_states_org_item on public.workflow_states(org_id, item_id);
create index idx_workflow_states_org_workstream on public.workflow_states(org_id, workstream_slug);
create index idx_workflow_states_run_id on public.workflow_states(org_id, run_id) where run_id is not null;

create table public.enrichment_results (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null references public.organizations(id) on delete cascade,
  batch_id        uuid not null,
  item_id         uuid not null,
  workflow_slug   varchar(255) not null,
  workstream_slug varchar(100) not null,
  result          jsonb not null default '{}'::jsonb,
  created_at      timestamptz not null default now(),
  -- on update cascade (not in the seed) so renaming a workstream carries its results along.
  -- Deleting a step that has results is refused (seed behaviour); they go with their batch.
  constraint enrichment_results_workflow_fkey foreign key (workflow_slug, workstream_slug)
    references public.enrichment_registry(slug, workstream_slug) on update cascade,
  -- See client_workflow_configs: keeps the step inside the row's organisation.
  constraint enrichment_results_workstream_fkey foreign key (org_id, workstream_slug)
    references public.projects(org_id, workstream_slug) on update cascade on delete cascade,
  foreign key (org_id, batch_id) references public.batches(org_id, id) on delete cascade,
  foreign key (org_id, item_id) references public.batch_items(org_id, id) on delete cascade
);
create index idx_enrichment_results_org_batch on public.enrichment_results(org_id, batch_id);
create index idx_enrichment_results_org_item on public.enrichment_results(org_id, item_id);
create index idx_enrichment_results_workflow on public.enrichment_results(workflow_slug, workstream_slug);
create index idx_enrichment_results_org_workstream on public.enrichment_results(org_id, workstream_slug);

-- ---------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------

alter table public.enrichment_registry enable row level security;
create policy enrichment_registry_read on public.enrichment_registry for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy enrichment_registry_insert on public.enrichment_registry for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy enrichment_registry_update on public.enrichment_registry for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy enrichment_registry_delete on public.enrichment_registry for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.client_workflow_configs enable row level security;
create policy client_workflow_configs_read on public.client_workflow_configs for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy client_workflow_configs_insert on public.client_workflow_configs for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy client_workflow_configs_update on public.client_workflow_configs for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy client_workflow_configs_delete on public.client_workflow_configs for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.batches enable row level security;
create policy batches_read on public.batches for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy batches_insert on public.batches for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy batches_update on public.batches for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy batches_delete on public.batches for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.batch_items enable row level security;
create policy batch_items_read on public.batch_items for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy batch_items_insert on public.batch_items for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy batch_items_update on public.batch_items for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy batch_items_delete on public.batch_items for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_states enable row level security;
create policy workflow_states_read on public.workflow_states for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_states_insert on public.workflow_states for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_states_update on public.workflow_states for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_states_delete on public.workflow_states for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.enrichment_results enable row level security;
create policy enrichment_results_read on public.enrichment_results for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy enrichment_results_insert on public.enrichment_results for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy enrichment_results_update on public.enrichment_results for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy enrichment_results_delete on public.enrichment_results for delete to authenticated
  using (org_id = (select app.writable_org_id()));

create trigger update_enrichment_registry_updated_at before update on public.enrichment_registry
  for each row execute function public.update_updated_at_column();
create trigger update_client_workflow_configs_updated_at before update on public.client_workflow_configs
  for each row execute function public.update_updated_at_column();
create trigger update_batches_updated_at before update on public.batches
  for each row execute function public.update_updated_at_column();
create trigger update_batch_items_updated_at before update on public.batch_items
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_states_updated_at before update on public.workflow_states
  for each row execute function public.update_updated_at_column();
