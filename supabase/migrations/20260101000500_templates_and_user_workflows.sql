-- Workflow templates and user workflows (seed 004).
--
-- A run records where its definition came from: a template, or a user workflow
-- (workflow_executions_source_check, next migration). Every `workflows` row gets its
-- user_workflows row from the trigger below, so a run of any workflow can always name one.

create table public.workflow_templates (
  -- A string id as in the seed ("lead-enrichment"): system templates have readable ids. An
  -- organisation's templates share the namespace, so the API generates theirs (a uuid).
  id            varchar(255) primary key,
  -- Null for system templates shipped with the product.
  org_id        uuid references public.organizations(id) on delete cascade,
  visibility_id uuid not null default app.visibility_id('organization') references public.component_visibility(id),
  created_by    uuid references public.users(id) on delete set null,
  name          varchar(255) not null,
  goal          text,
  steps         jsonb not null default '[]'::jsonb,
  conditions    jsonb,
  outputs       jsonb,
  -- A workflow definition (nodes, edges) to instantiate into a new workflow.
  definition    jsonb,
  category      varchar(100),
  is_active     boolean not null default true,
  usage_count   integer not null default 0,
  -- timestamptz, not the seed's `timestamp`: every other table stores instants, and a
  -- zone-less timestamp silently shifts when the server or session time zone differs.
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint workflow_templates_builtin_public_check check (
    org_id is not null or (created_by is null and visibility_id = '00000000-0000-0000-0000-000000000001')
  )
);
create index idx_workflow_templates_category on public.workflow_templates(category);
create index idx_workflow_templates_is_active on public.workflow_templates(is_active);
create index idx_workflow_templates_org_id on public.workflow_templates(org_id);
create index idx_workflow_templates_visibility_id on public.workflow_templates(visibility_id);
create index idx_workflow_templates_created_by on public.workflow_templates(created_by);

create table public.user_workflows (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null references public.organizations(id) on delete cascade,
  -- The workflow this row stands for (one each, created by the trigger below). Null only for
  -- a user workflow kept without a `workflows` row.
  workflow_id     uuid unique,
  -- Seed: not null, on delete cascade. Nullable and set null here: it is copied from
  -- workflows.created_by, which is kept (set null) when a member is deleted, and a cascade
  -- would delete this row while its workflow lives on, breaking the one-row-per-workflow rule.
  user_id         uuid references public.users(id) on delete set null,
  -- Templates may be system-wide (no organisation): a plain key.
  template_id     varchar(255) references public.workflow_templates(id) on delete set null,
  name            varchar(255) not null,
  description     text,
  category        varchar(100),
  definition      jsonb not null,
  config          jsonb not null default '{}'::jsonb,
  is_active       boolean not null default true,
  is_favorite     boolean not null default false,
  last_used       timestamptz,
  execution_count integer not null default 0,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_user_workflows_org_id on public.user_workflows(org_id, created_at desc);
create index idx_user_workflows_user_id on public.user_workflows(user_id);
create index idx_user_workflows_template_id on public.user_workflows(template_id);
create index idx_user_workflows_category on public.user_workflows(category);
create index idx_user_workflows_is_active on public.user_workflows(is_active);

-- Every workflow gets its user_workflows row in the same transaction. Runs as the caller:
-- whoever may insert the workflow (writable org) may insert this row too, and the worker
-- and the owner bypass row-level security. Template-instantiated workflows set
-- user_workflows.template_id afterwards.
create function app.create_user_workflow_for_workflow() returns trigger
language plpgsql set search_path = ''
as $$
begin
  insert into public.user_workflows (org_id, workflow_id, user_id, name, description, category, definition)
  values (new.org_id, new.id, new.created_by, new.name, new.description, null, new.definition);
  return null;
end;
$$;

-- Keeps the copy current, so a run that reads its definition through user_workflow_id gets
-- what the editor saved.
create function app.sync_user_workflow_from_workflow() returns trigger
language plpgsql set search_path = ''
as $$
begin
  update public.user_workflows
     set name = new.name, description = new.description, definition = new.definition
   where workflow_id = new.id;
  return null;
end;
$$;
revoke all on function app.create_user_workflow_for_workflow(), app.sync_user_workflow_from_workflow() from public;

create trigger workflows_create_user_workflow after insert on public.workflows
  for each row execute function app.create_user_workflow_for_workflow();
create trigger workflows_sync_user_workflow after update of name, description, definition on public.workflows
  for each row
  when (old.name is distinct from new.name
        or old.description is distinct from new.description
        or old.definition is distinct from new.definition)
  execute function app.sync_user_workflow_from_workflow();

-- ---------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------

-- Templates follow visibility (see 20260101000200_catalog.sql).
alter table public.workflow_templates enable row level security;
create policy workflow_templates_read on public.workflow_templates for select to authenticated using (
  visibility_id = (select app.visibility_id('public'))
  or (org_id = (select app.current_org_id())
      and (visibility_id = (select app.visibility_id('organization')) or created_by = (select app.current_user_id())))
);
create policy workflow_templates_insert on public.workflow_templates for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy workflow_templates_update on public.workflow_templates for update to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())))
  with check (org_id = (select app.writable_org_id()));
create policy workflow_templates_delete on public.workflow_templates for delete to authenticated
  using (org_id = (select app.writable_org_id())
         and (visibility_id <> (select app.visibility_id('private')) or created_by = (select app.current_user_id())));

alter table public.user_workflows enable row level security;
create policy user_workflows_read on public.user_workflows for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy user_workflows_insert on public.user_workflows for insert to authenticated
  with check (org_id = (select app.writable_org_id()));
create policy user_workflows_update on public.user_workflows for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy user_workflows_delete on public.user_workflows for delete to authenticated
  using (org_id = (select app.writable_org_id()));

create trigger update_workflow_templates_updated_at before update on public.workflow_templates
  for each row execute function public.update_updated_at_column();
create trigger update_user_workflows_updated_at before update on public.user_workflows
  for each row execute function public.update_updated_at_column();
