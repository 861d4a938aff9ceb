-- The API's built-in identity: password credentials, sessions and personal API tokens, plus
-- workflow version history.
--
-- Credentials, sessions and tokens live in the `app` schema with no privileges for `anon` or
-- `authenticated` (and row-level security on, with no policy, in case a grant ever slips in).
-- The API reaches them only through the SECURITY DEFINER functions below, each answering only
-- what its caller proves:
--   * a session or API token is looked up by the sha256 of a token the caller holds;
--   * a password is checked in the database: the API derives the scrypt key from the password
--     and the user's salt (public, like an SRP salt) and the database compares sha256(key) with
--     the stored verifier. The stored value is therefore neither the password nor
--     password-equivalent, and no function ever returns it;
--   * everything else acts for auth.uid() only (the caller's own tokens, organisations).
-- An external identity provider can replace all of this: see apps/api/README.md.

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

create table app.user_credentials (
  auth_user_id uuid primary key references auth.users(id) on delete cascade,
  -- scrypt parameters and salt (hex); stored per user so the cost can be raised later.
  salt         text not null check (salt ~ '^[0-9a-f]{32,128}$'),
  scrypt_n     integer not null check (scrypt_n >= 1024),
  scrypt_r     integer not null check (scrypt_r between 1 and 64),
  scrypt_p     integer not null check (scrypt_p between 1 and 16),
  key_length   integer not null check (key_length between 16 and 128),
  -- sha256 of the scrypt-derived key.
  verifier     bytea not null check (octet_length(verifier) = 32),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create table app.sessions (
  id           uuid primary key default gen_random_uuid(),
  -- sha256 of the cookie value; the token itself is never stored.
  token_hash   bytea not null unique check (octet_length(token_hash) = 32),
  auth_user_id uuid not null references auth.users(id) on delete cascade,
  user_agent   varchar(500),
  ip           varchar(100),
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null
);
create index idx_sessions_auth_user_id on app.sessions(auth_user_id);
create index idx_sessions_expires_at on app.sessions(expires_at);

create table app.api_tokens (
  id           uuid primary key default gen_random_uuid(),
  auth_user_id uuid not null references auth.users(id) on delete cascade,
  name         varchar(100) not null check (btrim(name) <> ''),
  -- sha256 of the token (`wbt_...`), shown to its owner once on creation.
  token_hash   bytea not null unique check (octet_length(token_hash) = 32),
  -- The first characters of the token, so its owner can recognise it in a list.
  token_prefix varchar(16) not null,
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at   timestamptz
);
create index idx_api_tokens_owner on app.api_tokens(auth_user_id, created_at desc, id desc);

-- A per-installation secret, so the salt returned for an unknown email is stable and looks
-- like a real one (no account enumeration through password_salt_for).
create table app.auth_pepper (
  id     boolean primary key default true check (id),
  pepper bytea not null
);
insert into app.auth_pepper (pepper)
values (pg_catalog.uuid_send(pg_catalog.gen_random_uuid()) || pg_catalog.uuid_send(pg_catalog.gen_random_uuid()));

revoke all on app.user_credentials, app.sessions, app.api_tokens, app.auth_pepper from public, anon, authenticated;
alter table app.user_credentials enable row level security;
alter table app.sessions enable row level security;
alter table app.api_tokens enable row level security;
alter table app.auth_pepper enable row level security;

create trigger update_user_credentials_updated_at before update on app.user_credentials
  for each row execute function public.update_updated_at_column();

-- Sign-in looks users up by email case-insensitively.
create index idx_users_lower_email on public.users (lower(email));

-- ---------------------------------------------------------------------------
-- Pre-authentication functions (anon)
-- ---------------------------------------------------------------------------

-- The scrypt salt and parameters to derive a key for `p_email`. For an unknown email a fake,
-- stable salt with the default parameters, indistinguishable from a real one.
create function app.password_salt_for(p_email text)
returns table (salt text, scrypt_n integer, scrypt_r integer, scrypt_p integer, key_length integer)
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select c.salt, c.scrypt_n, c.scrypt_r, c.scrypt_p, c.key_length
    from public.users u
    join app.user_credentials c on c.auth_user_id = u.auth_user_id
    where lower(u.email) = lower(btrim(p_email))
    limit 1;
  if not found then
    return query
      select pg_catalog.encode(pg_catalog.substr(
               pg_catalog.sha256(p.pepper || pg_catalog.convert_to(lower(btrim(p_email)), 'UTF8')), 1, 16), 'hex'),
             16384, 8, 1, 32
      from app.auth_pepper p;
  end if;
end;
$$;

-- Creates the identity (auth.users, public.users, credentials), an organisation the user
-- administers, and a first session. An email already in use fails with unique_violation on
-- users_email_key. When the organisation slug is taken, a random suffix is added.
create function app.sign_up(
  p_email text, p_display_name text, p_org_name text, p_org_slug text,
  p_salt text, p_scrypt_n integer, p_scrypt_r integer, p_scrypt_p integer, p_key_length integer, p_derived_key bytea,
  p_session_token_hash bytea, p_session_expires_at timestamptz, p_user_agent text, p_ip text
)
returns table (auth_user_id uuid, user_id uuid, org_id uuid, org_slug text, session_id uuid)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_auth uuid;
  v_user uuid;
  v_org uuid;
  v_slug text := p_org_slug;
  v_session uuid;
begin
  if exists (select 1 from public.users u where lower(u.email) = v_email) then
    raise exception 'email already registered' using errcode = 'unique_violation', constraint = 'users_email_key';
  end if;
  insert into auth.users (email) values (v_email) returning id into v_auth;
  insert into public.users (auth_user_id, email, display_name) values (v_auth, v_email, p_display_name) returning id into v_user;
  insert into app.user_credentials (auth_user_id, salt, scrypt_n, scrypt_r, scrypt_p, key_length, verifier)
  values (v_auth, p_salt, p_scrypt_n, p_scrypt_r, p_scrypt_p, p_key_length, pg_catalog.sha256(p_derived_key));
  if exists (select 1 from public.organizations o where o.slug = v_slug) then
    v_slug := left(v_slug, 90) || '-' || substr(pg_catalog.md5(pg_catalog.gen_random_uuid()::text), 1, 6);
  end if;
  insert into public.organizations (name, slug, created_by) values (p_org_name, v_slug, v_user) returning id into v_org;
  insert into public.organization_members (org_id, user_id, role_id)
  select v_org, v_user, r.id from public.user_roles r where r.name = 'admin';
  insert into app.sessions (token_hash, auth_user_id, expires_at, user_agent, ip)
  values (p_session_token_hash, v_auth, p_session_expires_at, left(p_user_agent, 500), left(p_ip, 100))
  returning id into v_session;
  update public.users set last_login_at = now() where id = v_user;
  return query select v_auth, v_user, v_org, v_slug, v_session;
end;
$$;

-- Checks a password (as the scrypt key the API derived with password_salt_for's salt) and, if
-- it matches, opens a session. No row when the email or the key is wrong.
create function app.sign_in(
  p_email text, p_derived_key bytea, p_session_token_hash bytea, p_session_expires_at timestamptz, p_user_agent text, p_ip text
)
returns table (auth_user_id uuid, user_id uuid, session_id uuid)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_auth uuid;
  v_user uuid;
  v_session uuid;
begin
  select u.auth_user_id, u.id into v_auth, v_user
  from public.users u
  join app.user_credentials c on c.auth_user_id = u.auth_user_id
  where lower(u.email) = lower(btrim(p_email))
    and c.verifier = pg_catalog.sha256(p_derived_key)
  limit 1;
  if v_auth is null then
    return;
  end if;
  insert into app.sessions (token_hash, auth_user_id, expires_at, user_agent, ip)
  values (p_session_token_hash, v_auth, p_session_expires_at, left(p_user_agent, 500), left(p_ip, 100))
  returning id into v_session;
  update public.users set last_login_at = now() where id = v_user;
  -- Housekeeping: expired sessions of this user.
  delete from app.sessions s where s.auth_user_id = v_auth and s.expires_at < now();
  return query select v_auth, v_user, v_session;
end;
$$;

-- The user behind a live session. Refreshes last_seen_at at most once a minute.
create function app.session_auth_user(p_token_hash bytea)
returns table (auth_user_id uuid, user_id uuid, session_id uuid, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  update app.sessions s set last_seen_at = now()
  where s.token_hash = p_token_hash and s.expires_at > now() and s.last_seen_at < now() - interval '1 minute';
  return query
    select s.auth_user_id, u.id, s.id, s.expires_at
    from app.sessions s
    join public.users u on u.auth_user_id = s.auth_user_id
    where s.token_hash = p_token_hash and s.expires_at > now();
end;
$$;

-- Ends the session whose token the caller holds.
create function app.delete_session(p_token_hash bytea)
returns boolean
language sql volatile security definer set search_path = ''
as $$
  with d as (delete from app.sessions s where s.token_hash = p_token_hash returning 1)
  select exists (select 1 from d)
$$;

-- The user behind a live API token. Refreshes last_used_at at most once a minute.
create function app.api_token_auth_user(p_token_hash bytea)
returns table (auth_user_id uuid, user_id uuid, token_id uuid)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  update app.api_tokens t set last_used_at = now()
  where t.token_hash = p_token_hash
    and (t.expires_at is null or t.expires_at > now())
    and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');
  return query
    select t.auth_user_id, u.id, t.id
    from app.api_tokens t
    join public.users u on u.auth_user_id = t.auth_user_id
    where t.token_hash = p_token_hash and (t.expires_at is null or t.expires_at > now());
end;
$$;

revoke all on function app.password_salt_for(text),
  app.sign_up(text, text, text, text, text, integer, integer, integer, integer, bytea, bytea, timestamptz, text, text),
  app.sign_in(text, bytea, bytea, timestamptz, text, text),
  app.session_auth_user(bytea), app.delete_session(bytea), app.api_token_auth_user(bytea) from public;
grant execute on function app.password_salt_for(text),
  app.sign_up(text, text, text, text, text, integer, integer, integer, integer, bytea, bytea, timestamptz, text, text),
  app.sign_in(text, bytea, bytea, timestamptz, text, text),
  app.session_auth_user(bytea), app.delete_session(bytea), app.api_token_auth_user(bytea) to anon, authenticated;

-- ---------------------------------------------------------------------------
-- Functions for signed-in callers (authenticated): they act for auth.uid() only
-- ---------------------------------------------------------------------------

-- A new personal API token of the caller (at most 50 each).
create function app.create_api_token(p_name text, p_token_hash bytea, p_token_prefix text, p_expires_at timestamptz)
returns table (id uuid, name text, token_prefix text, created_at timestamptz, last_used_at timestamptz, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_auth uuid := auth.uid();
begin
  if v_auth is null or not exists (select 1 from public.users u where u.auth_user_id = v_auth) then
    raise exception 'not signed in' using errcode = 'insufficient_privilege';
  end if;
  if (select count(*) from app.api_tokens t where t.auth_user_id = v_auth) >= 50 then
    raise exception 'a user may hold at most 50 API tokens' using errcode = 'check_violation', constraint = 'api_tokens_per_user_limit';
  end if;
  return query
    insert into app.api_tokens as t (auth_user_id, name, token_hash, token_prefix, expires_at)
    values (v_auth, p_name, p_token_hash, p_token_prefix, p_expires_at)
    returning t.id, t.name::text, t.token_prefix::text, t.created_at, t.last_used_at, t.expires_at;
end;
$$;

-- The caller's API tokens, newest first, keyset-paginated on (created_at, id).
create function app.list_api_tokens(p_limit integer, p_before_created_at timestamptz, p_before_id uuid)
returns table (id uuid, name text, token_prefix text, created_at timestamptz, last_used_at timestamptz, expires_at timestamptz, cursor_ts text)
language sql stable security definer set search_path = ''
as $$
  select t.id, t.name::text, t.token_prefix::text, t.created_at, t.last_used_at, t.expires_at,
         to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  from app.api_tokens t
  where t.auth_user_id = auth.uid()
    and (p_before_created_at is null or (t.created_at, t.id) < (p_before_created_at, p_before_id))
  order by t.created_at desc, t.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 101)
$$;

-- Revokes (deletes) one of the caller's API tokens; false when the caller has no such token.
create function app.revoke_api_token(p_id uuid)
returns boolean
language sql volatile security definer set search_path = ''
as $$
  with d as (delete from app.api_tokens t where t.id = p_id and t.auth_user_id = auth.uid() returning 1)
  select exists (select 1 from d)
$$;

-- Ends every session of the caller (sign out everywhere).
create function app.delete_my_sessions()
returns integer
language sql volatile security definer set search_path = ''
as $$
  with d as (delete from app.sessions s where s.auth_user_id = auth.uid() returning 1)
  select count(*)::integer from d
$$;

-- A new organisation administered by the caller. With p_exact_slug false a taken slug gets a
-- random suffix; with true it fails with unique_violation on organizations_slug_key.
create function app.create_organization(p_name text, p_slug text, p_exact_slug boolean default true)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_user uuid := app.current_user_id();
  v_slug text := p_slug;
  v_org uuid;
begin
  if v_user is null then
    raise exception 'not signed in' using errcode = 'insufficient_privilege';
  end if;
  if not p_exact_slug and exists (select 1 from public.organizations o where o.slug = v_slug) then
    v_slug := left(v_slug, 90) || '-' || substr(pg_catalog.md5(pg_catalog.gen_random_uuid()::text), 1, 6);
  end if;
  insert into public.organizations (name, slug, created_by) values (p_name, v_slug, v_user) returning id into v_org;
  insert into public.organization_members (org_id, user_id, role_id)
  select v_org, v_user, r.id from public.user_roles r where r.name = 'admin';
  return v_org;
end;
$$;

-- The user id of a signed-up user with this email, answered only to an admin of the request's
-- organisation (who wants to add them as a member); null otherwise.
create function app.invitable_user_id(p_email text)
returns uuid
language sql stable security definer set search_path = ''
as $$
  select u.id from public.users u
  where lower(u.email) = lower(btrim(p_email)) and app.admin_org_id() is not null
  limit 1
$$;

revoke all on function app.create_api_token(text, bytea, text, timestamptz),
  app.list_api_tokens(integer, timestamptz, uuid), app.revoke_api_token(uuid), app.delete_my_sessions(),
  app.create_organization(text, text, boolean), app.invitable_user_id(text) from public;
grant execute on function app.create_api_token(text, bytea, text, timestamptz),
  app.list_api_tokens(integer, timestamptz, uuid), app.revoke_api_token(uuid), app.delete_my_sessions(),
  app.create_organization(text, text, boolean), app.invitable_user_id(text) to authenticated;

-- ---------------------------------------------------------------------------
-- Every organisation keeps at least one admin
-- ---------------------------------------------------------------------------

create function app.ensure_org_keeps_an_admin() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- The organisation itself is being deleted (cascade): nothing to keep.
  if not exists (select 1 from public.organizations o where o.id = old.org_id) then
    return null;
  end if;
  if not exists (
    select 1 from public.organization_members m join public.user_roles r on r.id = m.role_id
    where m.org_id = old.org_id and r.name = 'admin'
  ) then
    raise exception 'an organisation must keep at least one admin'
      using errcode = 'check_violation', constraint = 'organization_members_last_admin';
  end if;
  return null;
end;
$$;
revoke all on function app.ensure_org_keeps_an_admin() from public;

create constraint trigger organization_members_keep_admin
  after update of role_id or delete on public.organization_members
  deferrable initially immediate
  for each row execute function app.ensure_org_keeps_an_admin();

-- ---------------------------------------------------------------------------
-- Workflow version history: one row per saved definition_version
-- ---------------------------------------------------------------------------

create table public.workflow_versions (
  id                 uuid primary key default gen_random_uuid(),
  org_id             uuid not null references public.organizations(id) on delete cascade,
  workflow_id        uuid not null,
  definition_version integer not null check (definition_version >= 1),
  name               varchar(255) not null,
  display_name       varchar(255),
  description        text,
  definition         jsonb not null,
  created_by         uuid references public.users(id) on delete set null,
  created_at         timestamptz not null default now(),
  unique (workflow_id, definition_version),
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_workflow_versions_org_workflow on public.workflow_versions(org_id, workflow_id, definition_version desc);
create index idx_workflow_versions_created_by on public.workflow_versions(created_by);

-- History is append-only: no update or delete policy (rows go with their workflow).
alter table public.workflow_versions enable row level security;
create policy workflow_versions_read on public.workflow_versions for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_versions_insert on public.workflow_versions for insert to authenticated
  with check (org_id = (select app.writable_org_id()));

-- Runs as the caller: whoever may write the workflow may append its history.
create function app.record_workflow_version() returns trigger
language plpgsql set search_path = ''
as $$
begin
  insert into public.workflow_versions (org_id, workflow_id, definition_version, name, display_name, description, definition, created_by)
  values (new.org_id, new.id, new.definition_version, new.name, new.display_name, new.description, new.definition,
          coalesce(app.current_user_id(), new.created_by));
  return null;
end;
$$;
revoke all on function app.record_workflow_version() from public;

create trigger workflows_record_version_on_insert after insert on public.workflows
  for each row execute function app.record_workflow_version();
create trigger workflows_record_version_on_save after update of definition_version on public.workflows
  for each row
  when (old.definition_version is distinct from new.definition_version)
  execute function app.record_workflow_version();

-- Workflows created before this migration start their history at their current version.
insert into public.workflow_versions (org_id, workflow_id, definition_version, name, display_name, description, definition, created_by, created_at)
select w.org_id, w.id, w.definition_version, w.name, w.display_name, w.description, w.definition, w.created_by, w.updated_at
from public.workflows w;
