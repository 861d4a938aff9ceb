-- The definition each compiled version was built from, so a run is drawn with the graph it
-- actually ran (the workflow may have been edited since).
alter table public.workflow_compiled_code add column definition jsonb;

-- Webhook triggers: one secret per workflow, stored hashed (sha256, hex). The token is shown
-- once when created; requests present it in the URL or the X-Webhook-Token header. Runs started
-- by a webhook are attributed to the user who created the token.
create table public.workflow_webhooks (
  id          uuid primary key default gen_random_uuid(),
  org_id      uuid not null references public.organizations(id) on delete cascade,
  workflow_id uuid not null,
  token_hash  text not null unique,
  created_by  uuid not null references public.users(id) on delete cascade,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  revoked_at  timestamptz,
  foreign key (org_id, workflow_id) references public.workflows(org_id, id) on delete cascade
);
create index idx_workflow_webhooks_org_workflow on public.workflow_webhooks(org_id, workflow_id);
create index idx_workflow_webhooks_created_by on public.workflow_webhooks(created_by);
create trigger update_workflow_webhooks_updated_at before update on public.workflow_webhooks
  for each row execute function public.update_updated_at_column();

alter table public.workflow_webhooks enable row level security;
create policy workflow_webhooks_read on public.workflow_webhooks for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy workflow_webhooks_insert on public.workflow_webhooks for insert to authenticated
  with check (org_id = (select app.writable_org_id()) and created_by = (select app.current_user_id()));
create policy workflow_webhooks_update on public.workflow_webhooks for update to authenticated
  using (org_id = (select app.writable_org_id())) with check (org_id = (select app.writable_org_id()));
create policy workflow_webhooks_delete on public.workflow_webhooks for delete to authenticated
  using (org_id = (select app.writable_org_id()));

-- A webhook call carries no session: this resolves a presented token (its hash) to the
-- workflow, its organisation and the token creator's auth id, and nothing else.
create function app.webhook_caller(p_token_hash text)
returns table (workflow_id uuid, org_id uuid, auth_user_id uuid)
language sql stable security definer set search_path = ''
as $$
  select h.workflow_id, h.org_id, u.auth_user_id
  from public.workflow_webhooks h
  join public.users u on u.id = h.created_by
  join public.organization_members m on m.org_id = h.org_id and m.user_id = h.created_by
  join public.user_roles r on r.id = m.role_id and r.name in ('admin', 'developer')
  where h.token_hash = p_token_hash and h.revoked_at is null
$$;
revoke all on function app.webhook_caller(text) from public;
grant execute on function app.webhook_caller(text) to anon, authenticated;
