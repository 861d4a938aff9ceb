-- Replay safety: generated workflow code imports the platform's runtime library, and the worker
-- re-bundles old versions. Each compiled version records the runtime it was compiled against
-- (runtime_hash: filesHash of the compiler's runtimeSourceFiles()), and the runtime's source is
-- kept once per hash, so a run still open after an upgrade replays on the runtime it started with.
-- Rows compiled before this (runtime_hash null) run on the worker's current runtime.
create table public.runtime_snapshots (
  hash       text primary key check (hash ~ '^[0-9a-f]{64}$'),
  -- { "src/runtime/<path>": "<source>" }, as runtimeSourceFiles() returns it.
  files      jsonb not null check (jsonb_typeof(files) = 'object'),
  created_at timestamptz not null default now()
);
-- Platform code, no tenant data; still, only the worker (service_role) reads it: callers store
-- snapshots through app.store_runtime_snapshot and read their version's through
-- app.runtime_snapshot_of. RLS on with no policy, in case a grant ever slips in.
alter table public.runtime_snapshots enable row level security;
revoke all on public.runtime_snapshots from public, anon, authenticated;

alter table public.workflow_compiled_code add column runtime_hash text references public.runtime_snapshots(hash);
create index idx_workflow_compiled_code_runtime_hash on public.workflow_compiled_code(runtime_hash);

-- The compiler's filesHash: sha256 over `name NUL length NUL content NUL` per file in name order,
-- the length in UTF-16 code units (JavaScript's string length).
create function app.runtime_files_hash(p_files jsonb)
returns text
language sql immutable set search_path = ''
as $$
  select encode(pg_catalog.sha256(coalesce(pg_catalog.string_agg(
    pg_catalog.convert_to(f.key, 'UTF8') || '\x00'::bytea
    || pg_catalog.convert_to((pg_catalog.char_length(f.value)
         + pg_catalog.char_length(pg_catalog.regexp_replace(f.value, '[^\U00010000-\U0010FFFF]', '', 'g')))::text, 'UTF8')
    || '\x00'::bytea || pg_catalog.convert_to(f.value, 'UTF8') || '\x00'::bytea,
    ''::bytea order by f.key collate "C"), ''::bytea)), 'hex')
  from pg_catalog.jsonb_each_text(p_files) f
$$;

-- Stores the runtime a deploy compiled against (once per hash). The hash is recomputed here, so
-- a caller cannot file other code under a runtime's hash (the worker would bundle it).
create function app.store_runtime_snapshot(p_hash text, p_files jsonb)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if exists (select 1 from public.runtime_snapshots s where s.hash = p_hash) then return; end if;
  if app.runtime_files_hash(p_files) is distinct from p_hash then
    raise exception 'runtime snapshot does not match its hash' using errcode = 'check_violation';
  end if;
  insert into public.runtime_snapshots (hash, files) values (p_hash, p_files) on conflict (hash) do nothing;
end
$$;

-- Whether a runtime is stored already (a deploy then skips sending its source).
create function app.runtime_snapshot_known(p_hash text)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.runtime_snapshots s where s.hash = p_hash)
$$;

-- The runtime snapshot of a compiled version of the caller's organisation (the same rule as
-- workflow_compiled_code's read policy), for the project export; null when it has none.
create function app.runtime_snapshot_of(p_workflow_id uuid, p_version integer)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select s.files
  from public.workflow_compiled_code c
  join public.runtime_snapshots s on s.hash = c.runtime_hash
  where c.workflow_id = p_workflow_id and c.version = p_version and c.org_id = (select app.current_org_id())
$$;

revoke all on function app.runtime_files_hash(jsonb), app.store_runtime_snapshot(text, jsonb),
  app.runtime_snapshot_known(text), app.runtime_snapshot_of(uuid, integer) from public;
grant execute on function app.runtime_files_hash(jsonb), app.store_runtime_snapshot(text, jsonb),
  app.runtime_snapshot_known(text), app.runtime_snapshot_of(uuid, integer) to authenticated, service_role;
