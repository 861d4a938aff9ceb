-- Named configs and the step cache (issue 7).
--
-- A named config version (user_workflow_config) is immutable once saved: runs record
-- (name, version) in their config_snapshot, and that must keep meaning what ran. Saving a
-- change creates the next version; only is_active (activate/deactivate) may change.
create function app.user_workflow_config_immutable() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.config is distinct from old.config or new.name is distinct from old.name
     or new.version is distinct from old.version or new.workflow_id is distinct from old.workflow_id
     or new.org_id is distinct from old.org_id then
    raise exception 'a named config version is immutable; save a new version instead'
      using errcode = 'check_violation', constraint = 'user_workflow_config_immutable';
  end if;
  return new;
end;
$$;

create trigger user_workflow_config_immutable before update on public.user_workflow_config
  for each row execute function app.user_workflow_config_immutable();

-- Runs started with a named config pick the newest active version of a name.
create index idx_user_workflow_config_active on public.user_workflow_config(workflow_id, name, version desc) where is_active;

-- Step cache lookups are (workflow_id, node_id, cache_key) (the unique key); expired rows are
-- skipped by the lookup and overwritten by the next store, so no sweeper is needed for
-- correctness. user_workflow_run_step.status already allows 'cached'.
