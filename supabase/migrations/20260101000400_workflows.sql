-- Workflows and everything hanging off a workflow: its denormalised graph (nodes, edges),
-- compiled code, workers, and the advanced patterns (work queues, signals, queries,
-- schedules, child workflows) (seed 003).
--
-- Workstream scoping (seeds 000/001): a workflow carries the workstream_slug of its project,
-- kept equal by a composite foreign key, and its kebab_name is unique per workstream rather
-- than globally, so `normalize-all-core-values` can exist in two workstreams. Every lookup
-- by name therefore uses (workstream_slug, kebab_name).

create table public.workflows (
  id                        uuid primary key default gen_random_uuid(),
  org_id                    uuid not null references public.organizations(id) on delete cascade,
  project_id                uuid not null,
  workstream_slug           varchar(100) not null,
  name                      varchar(255) not null,
  display_name              varchar(255),
  description               text,
  -- Immutable once created (trigger below): it names the Temporal workflow type and URLs.
  kebab_name                varchar(255) not null
                              constraint workflows_kebab_name_check check (kebab_name ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  created_by                uuid references public.users(id) on delete set null,
  visibility_id             uuid not null default app.visibility_id('organization') references public.component_visibility(id),
  status_id                 uuid not null default app.workflow_status_id('draft') references public.workflow_statuses(id),
  task_queue_id             uuid,
  version                   varchar(50) not null default '1.0.0',
  definition                jsonb not null default '{}'::jsonb,
  -- Optimistic concurrency: the API saves with `where definition_version = <read value>`
  -- and increments it; a concurrent save then matches no row.
  definition_version        integer not null default 1 check (definition_version >= 1),
  compiled_typescript       text,
  temporal_workflow_id      varchar(255),
  temporal_workflow_type    varchar(255),
  max_concurrent_executions integer not null default 10 check (max_concurrent_executions > 0),
  execution_timeout_seconds integer not null default 3600 check (execution_timeout_seconds > 0),
  created_at                timestamptz not null default now(),
  updated_at                timestamptz not null default now(),
  deployed_at               timestamptz,
  -- Decision: unique per workstream (replaces the seed's global unique kebab_name).
  constraint workflows_workstream_kebab_name_key unique (workstream_slug, kebab_name),
  -- Seed: (name, version, created_by); a project's namespace instead of a user's.
  constraint workflows_project_name_version_key unique (project_id, name, version),
  unique (org_id, id),
  -- Same organisation, and workstream_slug always the project's (renames cascade).
  constraint workflows_project_fkey foreign key (org_id, project_id, workstream_slug)
    references public.projects(org_id, id, workstream_slug) on update cascade on delete cascade,
  constraint workflows_task_queue_fkey foreign key (org_id, task_queue_id)
    references public.task_queues(org_id, id) on delete set null (task_queue_id)
);
create index idx_workflows_org_project on public.workflows(org_id, project_id, created_at desc);
create index idx_workflows_org_created_at on public.workflows(org_id, created_at desc, id desc);
create index idx_workflows_created_by on public.workflows(created_by);
create index idx_workflows_visibility_id on public.workflows(visibility_id);
create index idx_workflows_status_id on public.workflows(status_id);
create index idx_workflows_task_queue_id on public.workflows(task_queue_id);
create index idx_workflows_temporal_workflow_id on public.workflows(temporal_workflow_id);
create index idx_workflows_kebab_name on public.workflows(kebab_name);

create function app.prevent_kebab_name_change() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.kebab_name is distinct from old.kebab_name then
    raise exception 'workflows.kebab_name is immutable: cannot change "%" to "%"', old.kebab_name, new.kebab_name
      using errcode = 'check_violation',
            hint = 'kebab_name names the deployed Temporal workflow; create a new workflow instead.';
  end if;
  return new;
end;
$$;
revoke all on function app.prevent_kebab_name_change() from public;

create trigger workflows_kebab_name_immutable before update of kebab_name on public.workflows
  for each row execute function app.prevent_kebab_name_change();

-- ---------------------------------------------------------------------------
-- The graph, denormalised for querying (the definition jsonb stays the source of truth)
-- ---------------------------------------------------------------------------

create table public.workflow_nodes (
  id           uuid primary key default gen_random_uuid(),
  org_id       uuid not null references public.organizations(id) on delete cascade,
  workflow_id  uuid not null,
  -- Node ids are the editor's string ids ("http-1", "branch_approve"), not uuids.
  node_id      varchar(255) not null,
  node_type    varchar(50) not null,
  -- Built-in and public components belong to no or another organisation: a plain key.
  component_id uuid references public.components(id) on delete set null,
  config       jsonb not null default '{}'::jsonb,
  position     jsonb,
  created_at   timestamptz not null default now(),
  unique (workflow_id, node_id),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_workflow_nodes_org_workflow on public.workflow_nodes(org_id, workflow_id);
create index idx_workflow_nodes_component_id on public.workflow_nodes(component_id);

create table public.workflow_edges (
  id             uuid primary key default gen_random_uuid(),
  org_id         uuid not null references public.organizations(id) on delete cascade,
  workflow_id    uuid not null,
  edge_id        varchar(255) not null,
  source_node_id varchar(255) not null,
  target_node_id varchar(255) not null,
  -- Which outcome of the source this edge leaves from (a branch's "true"/"false", "error").
  source_handle  varchar(255),
  label          varchar(255),
  config         jsonb not null default '{}'::jsonb,
  created_at     timestamptz not null default now(),
  unique (workflow_id, edge_id),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_workflow_edges_org_workflow on public.workflow_edges(org_id, workflow_id);

-- ---------------------------------------------------------------------------
-- Compiled code and workers
-- ---------------------------------------------------------------------------

create table public.workflow_compiled_code (
  id                        uuid primary key default gen_random_uuid(),
  org_id                    uuid not null references public.organizations(id) on delete cascade,
  workflow_id               uuid not null,
  -- Monotonic per workflow (1, 2, 3...): runs record the version they executed.
  version                   integer not null check (version >= 1),
  -- Hash of the generated sources: an unchanged definition is not recompiled.
  content_hash              text not null,
  workflow_code             text not null,
  activities_code           text,
  worker_code               text,
  package_json              text,
  tsconfig_json             text,
  compiled_at               timestamptz not null default now(),
  compiled_by               uuid references public.users(id) on delete set null,
  -- Activation is explicit (deploy); a fresh compile is not live yet.
  is_active                 boolean not null default false,
  execution_count           bigint not null default 0,
  avg_execution_duration_ms integer not null default 0,
  last_executed_at          timestamptz,
  unique (workflow_id, version),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
-- At most one live version per workflow; deploy flips the old one off first, in one transaction.
create unique index workflow_compiled_code_one_active_key on public.workflow_compiled_code(workflow_id) where is_active;
create index idx_workflow_compiled_code_org_workflow on public.workflow_compiled_code(org_id, workflow_id);
create index idx_workflow_compiled_code_compiled_at on public.workflow_compiled_code(compiled_at);
create index idx_workflow_compiled_code_content_hash on public.workflow_compiled_code(workflow_id, content_hash);
create index idx_workflow_compiled_code_compiled_by on public.workflow_compiled_code(compiled_by);

-- Written by the worker manager (service_role); members read it to see worker health.
create table public.workflow_workers (
  id                uuid primary key default gen_random_uuid(),
  org_id            uuid not null references public.organizations(id) on delete cascade,
  project_id        uuid not null,
  worker_id         varchar(255) not null unique,
  task_queue_name   varchar(255) not null,
  status            varchar(50) not null default 'starting'
                      check (status in ('starting', 'running', 'stopped', 'error')),
  last_heartbeat_at timestamptz,
  started_at        timestamptz not null default now(),
  stopped_at        timestamptz,
  error_message     text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  foreign key (org_id, project_id) references public.projects(org_id, id) on delete cascade
);
create index idx_workflow_workers_org_project on public.workflow_workers(org_id, project_id);
create index idx_workflow_workers_status on public.workflow_workers(status);
create index idx_workflow_workers_last_heartbeat_at on public.workflow_workers(last_heartbeat_at);

-- ---------------------------------------------------------------------------
-- Advanced patterns
-- ---------------------------------------------------------------------------

create table public.workflow_work_queues (
  id               uuid primary key default gen_random_uuid(),
  org_id           uuid not null references public.organizations(id) on delete cascade,
  workflow_id      uuid not null,
  queue_name       varchar(100) not null,
  description      text,
  -- The signal that adds items and the query that reads the queue, generated with it.
  signal_name      varchar(100) not null,
  query_name       varchar(100) not null,
  -- Null: unlimited.
  max_size         integer check (max_size > 0),
  priority         varchar(20) not null default 'fifo' check (priority in ('fifo', 'lifo', 'priority')),
  deduplicate      boolean not null default false,
  work_item_schema jsonb,
  created_by       uuid references public.users(id) on delete set null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (workflow_id, queue_name),
  unique (workflow_id, signal_name),
  unique (workflow_id, query_name),
  unique (org_id, id),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_workflow_work_queues_org_workflow on public.workflow_work_queues(org_id, workflow_id);
create index idx_workflow_work_queues_priority on public.workflow_work_queues(priority);

create table public.workflow_signals (
  id             uuid primary key default gen_random_uuid(),
  org_id         uuid not null references public.organizations(id) on delete cascade,
  workflow_id    uuid not null,
  signal_name    varchar(100) not null,
  description    text,
  parameters     jsonb not null default '{}'::jsonb,
  auto_generated boolean not null default false,
  work_queue_id  uuid,
  created_by     uuid references public.users(id) on delete set null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (workflow_id, signal_name),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade,
  foreign key (org_id, work_queue_id) references public.workflow_work_queues(org_id, id) on delete set null (work_queue_id)
);
create index idx_workflow_signals_org_workflow on public.workflow_signals(org_id, workflow_id);
create index idx_workflow_signals_auto_generated on public.workflow_signals(auto_generated);
create index idx_workflow_signals_work_queue_id on public.workflow_signals(org_id, work_queue_id);

create table public.workflow_queries (
  id             uuid primary key default gen_random_uuid(),
  org_id         uuid not null references public.organizations(id) on delete cascade,
  workflow_id    uuid not null,
  query_name     varchar(100) not null,
  description    text,
  return_type    jsonb,
  auto_generated boolean not null default false,
  work_queue_id  uuid,
  created_by     uuid references public.users(id) on delete set null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (workflow_id, query_name),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade,
  foreign key (org_id, work_queue_id) references public.workflow_work_queues(org_id, id) on delete set null (work_queue_id)
);
create index idx_workflow_queries_org_workflow on public.workflow_queries(org_id, workflow_id);
create index idx_workflow_queries_auto_generated on public.workflow_queries(auto_generated);
create index idx_workflow_queries_work_queue_id on public.workflow_queries(org_id, work_queue_id);

create table public.workflow_scheduled_workflows (
  id                   uuid primary key default gen_random_uuid(),
  org_id               uuid not null references public.organizations(id) on delete cascade,
  workflow_id          uuid not null,
  cron_expression      varchar(100) not null,
  timezone             varchar(50) not null default 'UTC',
  start_immediately    boolean not null default false,
  -- Null: unlimited.
  max_runs             integer check (max_runs > 0),
  work_queue_id        uuid,
  -- The Temporal Schedule this row is mirrored to; null until the worker has created it.
  temporal_schedule_id varchar(255) unique,
  is_paused            boolean not null default false,
  -- Why the last sync to Temporal failed, for the UI.
  last_error           text,
  created_by           uuid references public.users(id) on delete set null,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade,
  foreign key (org_id, work_queue_id) references public.workflow_work_queues(org_id, id) on delete set null (work_queue_id)
);
create index idx_workflow_scheduled_workflows_org_workflow on public.workflow_scheduled_workflows(org_id, workflow_id);
create index idx_workflow_scheduled_workflows_work_queue_id on public.workflow_scheduled_workflows(org_id, work_queue_id);

create table public.workflow_child_workflows (
  id                  uuid primary key default gen_random_uuid(),
  org_id              uuid not null references public.organizations(id) on delete cascade,
  parent_workflow_id  uuid not null,
  -- The child as a row when it is one of ours; child_workflow_name is what is started.
  child_workflow_id   uuid,
  child_workflow_name varchar(255) not null,
  parent_close_policy varchar(50) not null default 'terminate'
                        check (parent_close_policy in ('terminate', 'abandon', 'request_cancel')),
  can_signal_parent   boolean not null default false,
  can_query_parent    boolean not null default false,
  block_until         jsonb,
  created_by          uuid references public.users(id) on delete set null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  foreign key (org_id, parent_workflow_id) references public.workflows(org_id, id) on delete cascade,
  foreign key (org_id, child_workflow_id) references public.workflows(org_id, id) on delete set null (child_workflow_id)
);
create index idx_workflow_child_workflows_parent on public.workflow_child_workflows(org_id, parent_workflow_id);
create index idx_workflow_child_workflows_child on public.workflow_child_workflows(org_id, child_workflow_id);

-- ---------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------

-- Workflows follow visibility like the catalog (see 20260101000200_catalog.sql for why the
-- writes are split per command). Their child tables are plain tenant tables: a public
-- workflow shares its definition, not its organisation's compiled code, workers or queues.
alter table public.workflows enable row level security;
create policy workflows_read on public.workflows for select to authenticated using (
  visibility_id = (select app.visibility_id('public'))
  or (org_id = (select app.current_org_id())
      and (visibility_id = (select app.visibility_id('organization')) or created_by = (select app.current_user_id())))
);
create policy workflows_insert on public.workflows for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflows_update on public.workflows for update to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())))
  with check (org_id = (select app.writable_org_id()));
create policy workflows_delete on public.workflows for delete to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())));

alter table public.workflow_nodes enable row level security;
create policy workflow_nodes_read on public.workflow_nodes for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_nodes_insert on public.workflow_nodes for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_nodes_update on public.workflow_nodes for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_nodes_delete on public.workflow_nodes for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_edges enable row level security;
create policy workflow_edges_read on public.workflow_edges for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_edges_insert on public.workflow_edges for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_edges_update on public.workflow_edges for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_edges_delete on public.workflow_edges for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_compiled_code enable row level security;
create policy workflow_compiled_code_read on public.workflow_compiled_code for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_compiled_code_insert on public.workflow_compiled_code for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_compiled_code_update on public.workflow_compiled_code for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_compiled_code_delete on public.workflow_compiled_code for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_workers enable row level security;
create policy workflow_workers_read on public.workflow_workers for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_workers_insert on public.workflow_workers for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_workers_update on public.workflow_workers for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_workers_delete on public.workflow_workers for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_work_queues enable row level security;
create policy workflow_work_queues_read on public.workflow_work_queues for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_work_queues_insert on public.workflow_work_queues for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_work_queues_update on public.workflow_work_queues for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_work_queues_delete on public.workflow_work_queues for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_signals enable row level security;
create policy workflow_signals_read on public.workflow_signals for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_signals_insert on public.workflow_signals for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_signals_update on public.workflow_signals for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_signals_delete on public.workflow_signals for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_queries enable row level security;
create policy workflow_queries_read on public.workflow_queries for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_queries_insert on public.workflow_queries for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_queries_update on public.workflow_queries for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_queries_delete on public.workflow_queries for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_scheduled_workflows enable row level security;
create policy workflow_scheduled_workflows_read on public.workflow_scheduled_workflows for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_scheduled_workflows_insert on public.workflow_scheduled_workflows for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_scheduled_workflows_update on public.workflow_scheduled_workflows for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_scheduled_workflows_delete on public.workflow_scheduled_workflows for delete to authenticated
  using (org_id = (select app.writable_org_id()));

alter table public.workflow_child_workflows enable row level security;
create policy workflow_child_workflows_read on public.workflow_child_workflows for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_child_workflows_insert on public.workflow_child_workflows for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_child_workflows_update on public.workflow_child_workflows for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_child_workflows_delete on public.workflow_child_workflows for delete to authenticated
  using (org_id = (select app.writable_org_id()));

create trigger update_workflows_updated_at before update on public.workflows
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_workers_updated_at before update on public.workflow_workers
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_work_queues_updated_at before update on public.workflow_work_queues
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_signals_updated_at before update on public.workflow_signals
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_queries_updated_at before update on public.workflow_queries
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_scheduled_workflows_updated_at before update on public.workflow_scheduled_workflows
  for each row execute function public.update_updated_at_column();
create trigger update_workflow_child_workflows_updated_at before update on public.workflow_child_workflows
  for each row execute function public.update_updated_at_column();
