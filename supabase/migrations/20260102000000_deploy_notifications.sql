-- The worker manager learns of deploys without restarting: a NOTIFY on channel `wb_deploy`
-- whenever a compiled version is activated or deactivated (it also polls, with a bound, in
-- case a notification is missed while reconnecting). The payload is the project id.
-- `picked_up_at` is set by the worker manager once a Worker serving the version runs, so
-- deploy can report "a worker picked it up".

alter table public.workflow_compiled_code add column picked_up_at timestamptz;

create function app.notify_deploy() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_project uuid;
begin
  select w.project_id into v_project from public.workflows w where w.id = coalesce(new.workflow_id, old.workflow_id);
  perform pg_notify('wb_deploy', coalesce(v_project::text, ''));
  return null;
end;
$$;

create trigger workflow_compiled_code_notify_deploy
  after insert or update of is_active or delete on public.workflow_compiled_code
  for each row execute function app.notify_deploy();

-- Compiled versions a version starts as child workflows ([{workflowId, version}]): the worker
-- keeps them registered while the parent version is served, even after the child moved on.
alter table public.workflow_compiled_code add column child_versions jsonb not null default '[]'::jsonb;
-- The workflow type the version registers (`wf_<kebab>_v<version>`).
alter table public.workflow_compiled_code add column workflow_type varchar(255);
