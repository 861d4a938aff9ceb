-- Users, roles, organisations and memberships, and the functions every row-level
-- security policy uses to learn who is calling.
--
-- The caller is identified by the JWT claims of the transaction (see the compat shim):
--   sub    = auth.users.id (users.auth_user_id)
--   org_id = the organisation the request acts in; honoured only if the user is a member.
-- Policies compare columns with these functions wrapped in sub-selects
-- (`org_id = (select app.current_org_id())`) so each is evaluated once per statement.

create schema if not exists app;
grant usage on schema app to anon, authenticated, service_role;

-- Lookup tables instead of enums (seed 003).
create table public.user_roles (
  id          uuid primary key default gen_random_uuid(),
  name        varchar(50) not null unique,
  description text,
  permissions jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now()
);

insert into public.user_roles (name, description, permissions) values
  ('admin',     'Manages members and settings; builds, deploys and runs workflows', '{"read": true, "write": true, "deploy": true, "run": true, "manage_members": true}'),
  ('developer', 'Builds, deploys and runs workflows',                              '{"read": true, "write": true, "deploy": true, "run": true, "manage_members": false}'),
  ('viewer',    'Reads workflows and runs',                                         '{"read": true, "write": false, "deploy": false, "run": false, "manage_members": false}');

create table public.users (
  id            uuid primary key default gen_random_uuid(),
  auth_user_id  uuid unique references auth.users(id) on delete cascade,
  email         varchar(255) not null unique,
  display_name  varchar(100),
  role_id       uuid references public.user_roles(id),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  last_login_at timestamptz
);
create index idx_users_auth_user_id on public.users(auth_user_id);
create index idx_users_role_id on public.users(role_id);

create table public.organizations (
  id         uuid primary key default gen_random_uuid(),
  name       varchar(255) not null,
  slug       varchar(100) not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,99}$'),
  created_by uuid references public.users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.organization_members (
  org_id     uuid not null references public.organizations(id) on delete cascade,
  user_id    uuid not null references public.users(id) on delete cascade,
  role_id    uuid not null references public.user_roles(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
create index idx_organization_members_user on public.organization_members(user_id, org_id);
create index idx_organization_members_role on public.organization_members(role_id);

-- ---------------------------------------------------------------------------
-- Caller functions. SECURITY DEFINER with a fixed search_path: they read the
-- membership tables as their owner, and only ever answer about the caller.
-- ---------------------------------------------------------------------------

create function app.current_user_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select u.id from public.users u where u.auth_user_id = auth.uid()
$$;

-- The request's organisation, or null when the caller is not a member of it.
create function app.current_org_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select m.org_id
  from public.organization_members m
  join public.users u on u.id = m.user_id
  where u.auth_user_id = auth.uid()
    and m.org_id = nullif(auth.jwt() ->> 'org_id', '')::uuid
$$;

-- The caller's role name in the request's organisation (admin, developer, viewer) or null.
create function app.current_org_role() returns text
language sql stable security definer set search_path = ''
as $$
  select r.name
  from public.organization_members m
  join public.users u on u.id = m.user_id
  join public.user_roles r on r.id = m.role_id
  where u.auth_user_id = auth.uid()
    and m.org_id = nullif(auth.jwt() ->> 'org_id', '')::uuid
$$;

-- The request's organisation when the caller may change things in it (admin or developer).
create function app.writable_org_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select m.org_id
  from public.organization_members m
  join public.users u on u.id = m.user_id
  join public.user_roles r on r.id = m.role_id
  where u.auth_user_id = auth.uid()
    and m.org_id = nullif(auth.jwt() ->> 'org_id', '')::uuid
    and r.name in ('admin', 'developer')
$$;

-- The request's organisation when the caller administers it.
create function app.admin_org_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select m.org_id
  from public.organization_members m
  join public.users u on u.id = m.user_id
  join public.user_roles r on r.id = m.role_id
  where u.auth_user_id = auth.uid()
    and m.org_id = nullif(auth.jwt() ->> 'org_id', '')::uuid
    and r.name = 'admin'
$$;

-- Every organisation the caller belongs to (for the organisation picker).
create function app.member_org_ids() returns uuid[]
language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(m.org_id), '{}')
  from public.organization_members m
  join public.users u on u.id = m.user_id
  where u.auth_user_id = auth.uid()
$$;

revoke all on function app.current_user_id(), app.current_org_id(), app.current_org_role(),
  app.writable_org_id(), app.admin_org_id(), app.member_org_ids() from public;
grant execute on function app.current_user_id(), app.current_org_id(), app.current_org_role(),
  app.writable_org_id(), app.admin_org_id(), app.member_org_ids() to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------

alter table public.user_roles enable row level security;
create policy user_roles_read on public.user_roles for select to authenticated using (true);

alter table public.users enable row level security;
-- Yourself, and the members of the organisation you act in.
create policy users_read on public.users for select to authenticated using (
  id = (select app.current_user_id())
  or exists (select 1 from public.organization_members m
             where m.user_id = users.id and m.org_id = (select app.current_org_id()))
);
create policy users_update_self on public.users for update to authenticated
  using (id = (select app.current_user_id()))
  with check (id = (select app.current_user_id()));

alter table public.organizations enable row level security;
create policy organizations_read on public.organizations for select to authenticated
  using (id = any ((select app.member_org_ids())::uuid[]));
create policy organizations_update on public.organizations for update to authenticated
  using (id = (select app.admin_org_id())) with check (id = (select app.admin_org_id()));
create policy organizations_delete on public.organizations for delete to authenticated
  using (id = (select app.admin_org_id()));

alter table public.organization_members enable row level security;
create policy organization_members_read on public.organization_members for select to authenticated
  using (org_id = (select app.current_org_id()) or user_id = (select app.current_user_id()));
create policy organization_members_write on public.organization_members for all to authenticated
  using (org_id = (select app.admin_org_id())) with check (org_id = (select app.admin_org_id()));

create trigger update_users_updated_at before update on public.users
  for each row execute function public.update_updated_at_column();
create trigger update_organizations_updated_at before update on public.organizations
  for each row execute function public.update_updated_at_column();
create trigger update_organization_members_updated_at before update on public.organization_members
  for each row execute function public.update_updated_at_column();
