-- Lookup tables, the component and prompt catalog, and Temporal task queues (seed 003).
--
-- No enums (seed 003): small vocabularies are lookup tables, so a value can be added with
-- an insert and carry metadata (icon, colour, description).
--
-- Catalog tables (components, agent_prompts, and workflow_templates later) mix two kinds of
-- rows: built-ins shipped with the product (org_id null, created_by null, always public) and
-- rows an organisation creates. Who may read a row is decided by its visibility:
--   public       every signed-in user, whatever their organisation
--   organization every member of the row's organisation
--   private      only its creator, inside the row's organisation

-- ---------------------------------------------------------------------------
-- Lookup tables
-- ---------------------------------------------------------------------------

create table public.component_types (
  id          uuid primary key default gen_random_uuid(),
  name        varchar(50) not null unique,
  description text,
  icon        varchar(50),
  created_at  timestamptz not null default now()
);

insert into public.component_types (name, description, icon) values
  ('activity', 'A Temporal activity: does the work (HTTP calls, code, data access)', 'zap'),
  ('agent',    'An AI agent step driven by a prompt and a model',                    'bot'),
  ('signal',   'Waits for or sends a Temporal signal',                               'radio'),
  ('trigger',  'Starts a workflow (manual, schedule, webhook)',                      'play');

-- Visibility ids are fixed, not random: the check constraints below ("a built-in row with no
-- organisation must be public") can only compare with a constant, as a check cannot read
-- another table. Everything else looks the id up by name with app.visibility_id().
create table public.component_visibility (
  id          uuid primary key default gen_random_uuid(),
  name        varchar(50) not null unique,
  description text,
  created_at  timestamptz not null default now()
);

insert into public.component_visibility (id, name, description) values
  ('00000000-0000-0000-0000-000000000001', 'public',       'Visible to every signed-in user'),
  ('00000000-0000-0000-0000-000000000002', 'organization', 'Visible to the members of its organisation'),
  ('00000000-0000-0000-0000-000000000003', 'private',      'Visible to its creator only');

create table public.workflow_statuses (
  id          uuid primary key default gen_random_uuid(),
  name        varchar(50) not null unique,
  description text,
  color       varchar(7) check (color ~ '^#[0-9A-Fa-f]{6}$'),
  created_at  timestamptz not null default now()
);

insert into public.workflow_statuses (name, description, color) values
  ('draft',    'Being edited; not deployed',         '#6B7280'),
  ('active',   'Deployed and accepting runs',        '#10B981'),
  ('paused',   'Deployed; new runs are not started', '#F59E0B'),
  ('archived', 'Kept for history; read-only',        '#9CA3AF');

alter table public.component_types enable row level security;
create policy component_types_read on public.component_types for select to authenticated using (true);
alter table public.component_visibility enable row level security;
create policy component_visibility_read on public.component_visibility for select to authenticated using (true);
alter table public.workflow_statuses enable row level security;
create policy workflow_statuses_read on public.workflow_statuses for select to authenticated using (true);

-- Lookup helpers for policies and column defaults. Wrapped in sub-selects in policies
-- (`(select app.visibility_id('public'))`) they run once per statement, not once per row.
create function app.visibility_id(p_name text) returns uuid
language sql stable set search_path = ''
as $$
  select v.id from public.component_visibility v where v.name = p_name
$$;

create function app.workflow_status_id(p_name text) returns uuid
language sql stable set search_path = ''
as $$
  select s.id from public.workflow_statuses s where s.name = p_name
$$;

revoke all on function app.visibility_id(text), app.workflow_status_id(text) from public;
grant execute on function app.visibility_id(text), app.workflow_status_id(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Agent prompts (before components, which reference them)
-- ---------------------------------------------------------------------------

create table public.agent_prompts (
  id                 uuid primary key default gen_random_uuid(),
  -- Null for built-ins shipped with the product.
  org_id             uuid references public.organizations(id) on delete cascade,
  name               varchar(255) not null,
  display_name       varchar(255),
  description        text,
  version            varchar(50) not null default '1.0.0',
  prompt_content     text not null,
  prompt_variables   jsonb not null default '[]'::jsonb,
  -- A departing member must not take the organisation's prompts with them.
  created_by         uuid references public.users(id) on delete set null,
  visibility_id      uuid not null default app.visibility_id('organization') references public.component_visibility(id),
  capabilities       text[] not null default '{}',
  tags               text[] not null default '{}',
  recommended_models jsonb not null default '[]'::jsonb,
  deprecated         boolean not null default false,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  unique (name, version, created_by),
  constraint agent_prompts_builtin_public_check check (
    org_id is not null or (created_by is null and visibility_id = '00000000-0000-0000-0000-000000000001')
  )
);
-- created_by is null for built-ins, and nulls never collide in the unique above; built-ins
-- (org_id null) are unique by name and version on their own. Keyed on org_id rather than
-- created_by so that an organisation's rows whose creator was deleted (created_by set null)
-- cannot block that deletion or squat a built-in's name.
create unique index agent_prompts_builtin_name_version_key on public.agent_prompts(name, version) where org_id is null;
create index idx_agent_prompts_org_id on public.agent_prompts(org_id);
create index idx_agent_prompts_created_by on public.agent_prompts(created_by);
create index idx_agent_prompts_visibility_id on public.agent_prompts(visibility_id);
create index idx_agent_prompts_capabilities on public.agent_prompts using gin(capabilities);
create index idx_agent_prompts_tags on public.agent_prompts using gin(tags);

-- ---------------------------------------------------------------------------
-- Components
-- ---------------------------------------------------------------------------

create table public.components (
  id                  uuid primary key default gen_random_uuid(),
  -- Null for built-ins (the node kinds seeded by the product).
  org_id              uuid references public.organizations(id) on delete cascade,
  name                varchar(255) not null,
  display_name        varchar(255),
  description         text,
  component_type_id   uuid not null references public.component_types(id),
  version             varchar(50) not null default '1.0.0',
  created_by          uuid references public.users(id) on delete set null,
  visibility_id       uuid not null default app.visibility_id('organization') references public.component_visibility(id),
  config_schema       jsonb not null default '{}'::jsonb,
  input_schema        jsonb,
  output_schema       jsonb,
  tags                text[] not null default '{}',
  capabilities        text[] not null default '{}',
  agent_prompt_id     uuid references public.agent_prompts(id) on delete set null,
  model_provider      varchar(100),
  model_name          varchar(100),
  implementation_path varchar(500),
  npm_package         varchar(255),
  deprecated          boolean not null default false,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (name, version, created_by),
  constraint components_builtin_public_check check (
    org_id is not null or (created_by is null and visibility_id = '00000000-0000-0000-0000-000000000001')
  )
);
-- See agent_prompts: built-ins are unique by (name, version).
create unique index components_builtin_name_version_key on public.components(name, version) where org_id is null;
create index idx_components_name_version on public.components(name, version);
create index idx_components_org_id on public.components(org_id);
create index idx_components_component_type_id on public.components(component_type_id);
create index idx_components_created_by on public.components(created_by);
create index idx_components_visibility_id on public.components(visibility_id);
create index idx_components_agent_prompt_id on public.components(agent_prompt_id);
create index idx_components_tags on public.components using gin(tags);
create index idx_components_capabilities on public.components using gin(capabilities);

-- ---------------------------------------------------------------------------
-- Task queues
-- ---------------------------------------------------------------------------

-- Each project runs on its own queue (projects.task_queue_name references name). Names are
-- global because Temporal's task queues are global to the namespace.
create table public.task_queues (
  id                        uuid primary key default gen_random_uuid(),
  org_id                    uuid not null references public.organizations(id) on delete cascade,
  name                      varchar(255) not null unique,
  description               text,
  display_name              varchar(255),
  max_concurrent_workflows  integer not null default 100 check (max_concurrent_workflows > 0),
  max_concurrent_activities integer not null default 1000 check (max_concurrent_activities > 0),
  created_by                uuid references public.users(id) on delete set null,
  -- Created by the platform (a project's queue) rather than by a user.
  is_system_queue           boolean not null default false,
  created_at                timestamptz not null default now(),
  updated_at                timestamptz not null default now(),
  -- Targets of same-organisation foreign keys (projects.task_queue_name, workflows.task_queue_id):
  -- a project must never be pointed at another organisation's queue and so its workers.
  unique (org_id, name),
  unique (org_id, id)
);
create index idx_task_queues_created_by on public.task_queues(created_by);

-- ---------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------

-- Catalog reads follow visibility. Writes need a writable role (admin, developer) in the
-- row's organisation, so built-ins (org_id null) can only be changed by the owner or the
-- service role. Writes are split per command instead of one `for all` policy: a `for all`
-- policy also grants select, which would show colleagues' private rows to every developer
-- (and would slow every read, see 20260101000300_projects_and_clients.sql).
-- Update and delete repeat the private rule for the same reason (a delete without a where
-- clause is not filtered by the select policy).

alter table public.agent_prompts enable row level security;
create policy agent_prompts_read on public.agent_prompts for select to authenticated using (
  visibility_id = (select app.visibility_id('public'))
  or (org_id = (select app.current_org_id())
      and (visibility_id = (select app.visibility_id('organization')) or created_by = (select app.current_user_id())))
);
create policy agent_prompts_insert on public.agent_prompts for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy agent_prompts_update on public.agent_prompts for update to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())))
  with check (org_id = (select app.writable_org_id()));
create policy agent_prompts_delete on public.agent_prompts for delete to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())));

alter table public.components enable row level security;
create policy components_read on public.components for select to authenticated using (
  visibility_id = (select app.visibility_id('public'))
  or (org_id = (select app.current_org_id())
      and (visibility_id = (select app.visibility_id('organization')) or created_by = (select app.current_user_id())))
);
create policy components_insert on public.components for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy components_update on public.components for update to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())))
  with check (org_id = (select app.writable_org_id()));
create policy components_delete on public.components for delete to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())));

alter table public.task_queues enable row level security;
create policy task_queues_read on public.task_queues for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy task_queues_insert on public.task_queues for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy task_queues_update on public.task_queues for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy task_queues_delete on public.task_queues for delete to authenticated
  using (org_id = (select app.writable_org_id()));

create trigger update_agent_prompts_updated_at before update on public.agent_prompts
  for each row execute function public.update_updated_at_column();
create trigger update_components_updated_at before update on public.components
  for each row execute function public.update_updated_at_column();
create trigger update_task_queues_updated_at before update on public.task_queues
  for each row execute function public.update_updated_at_column();
