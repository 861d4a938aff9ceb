-- Supabase compatibility shim.
-- On a Supabase project the roles, the auth schema and auth.uid()/auth.jwt() already exist
-- and every statement below is skipped. On plain Postgres it provides them the way Supabase
-- does: the caller's claims are set per transaction in `request.jwt.claims`
-- (set_config('request.jwt.claims', '{"sub": "...", "org_id": "..."}', true)).

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    -- As on Supabase: trusted back-end processes (the worker) bypass row-level security.
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

create extension if not exists pgcrypto;
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

do $$
begin
  -- Supabase's GoTrue owns auth.users; plain Postgres gets the minimal shape users.auth_user_id references.
  if to_regclass('auth.users') is null then
    create table auth.users (
      id uuid primary key default gen_random_uuid(),
      email text,
      created_at timestamptz not null default now()
    );
  end if;

  if not exists (select 1 from pg_proc where proname = 'jwt' and pronamespace = 'auth'::regnamespace) then
    create function auth.jwt() returns jsonb
      language sql stable
      as $f$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $f$;
  end if;

  if not exists (select 1 from pg_proc where proname = 'uid' and pronamespace = 'auth'::regnamespace) then
    create function auth.uid() returns uuid
      language sql stable
      as $f$
        select nullif(coalesce(current_setting('request.jwt.claim.sub', true),
                               (coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb ->> 'sub')), '')::uuid
      $f$;
  end if;

  if not exists (select 1 from pg_proc where proname = 'role' and pronamespace = 'auth'::regnamespace) then
    create function auth.role() returns text
      language sql stable
      as $f$
        select nullif(coalesce(current_setting('request.jwt.claim.role', true),
                               (coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb ->> 'role')), '')::text
      $f$;
  end if;
end
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- Tables are protected by row-level security; privileges only open the door RLS then guards.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant select, insert, update, delete on tables to authenticated, service_role;
alter default privileges in schema public grant usage, select on sequences to authenticated, service_role;
alter default privileges in schema public grant execute on functions to authenticated, service_role;

-- Shared trigger function: every table with updated_at keeps it current (seed 004).
create or replace function public.update_updated_at_column()
returns trigger
language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;
