-- Batch orchestration (issue 7, "Batch pipelines").
--
-- The orchestrator (a Temporal workflow on the platform task queue) walks every batch item
-- through its blueprint. Two additions to the workstream tables of 20260101000700:
--
-- 1. A step state can be CANCELLED: cancelling a batch leaves its unfinished items CANCELLED
--    and their steps that never ran (or were stopped) CANCELLED, not PENDING (which the
--    orchestrator would pick up again) nor FAILED (which retry-failed would re-run).
-- 2. batch_callbacks: the callback tokens of async steps. An async step's activity POSTs to the
--    step's endpoint with a callback URL holding a random 256-bit token, stores only the token's
--    sha-256 with Temporal's task token, and completes asynchronously; the public receiver
--    (POST /v1/hooks/batch-callbacks/:token) claims the row (single use) and completes or
--    fails the activity with the stored task token.

alter table public.workflow_states drop constraint workflow_states_status_check;
alter table public.workflow_states add constraint workflow_states_status_check
  check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'));

-- The items list of a batch is read in position order, a page at a time.
create index idx_batch_items_batch_status_position on public.batch_items(batch_id, status, position);
-- The orchestrator reads one item's states; the list route reads a page of items' states.
create index idx_workflow_states_item on public.workflow_states(item_id);
create index idx_enrichment_results_item_step on public.enrichment_results(item_id, workflow_slug);

create table public.batch_callbacks (
  -- sha-256 (hex) of the token; the token itself is only ever in the callback URL.
  token_hash  text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  org_id      uuid not null references public.organizations(id) on delete cascade,
  batch_id    uuid not null,
  item_id     uuid not null,
  step_name   varchar(255) not null,
  -- Temporal's task token of the waiting activity (opaque bytes).
  task_token  bytea not null,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now(),
  foreign key (org_id, batch_id) references public.batches(org_id, id) on delete cascade,
  foreign key (org_id, item_id) references public.batch_items(org_id, id) on delete cascade
);
create index idx_batch_callbacks_org_batch on public.batch_callbacks(org_id, batch_id);
create index idx_batch_callbacks_item on public.batch_callbacks(item_id);

-- Only the worker (service_role, bypasses RLS) writes these rows and the receiver reads them
-- through app.claim_batch_callback: no policy lets `authenticated` or `anon` see a task token.
alter table public.batch_callbacks enable row level security;
revoke all on public.batch_callbacks from authenticated, anon;

-- Claims a callback token once: marks it used and returns what completing the activity needs.
-- Called by the public receiver as `anon` inside the transaction that completes the activity,
-- so a failure to reach Temporal rolls the claim back and the caller may retry. An expired
-- token is claimed too (`expired` true): the receiver answers 410 and it cannot be reused.
create function app.claim_batch_callback(p_token_hash text)
returns table (org_id uuid, batch_id uuid, item_id uuid, step_name varchar, task_token bytea, expired boolean)
language sql volatile security definer set search_path = ''
as $$
  update public.batch_callbacks c
     set used_at = now()
   where c.token_hash = p_token_hash and c.used_at is null
  returning c.org_id, c.batch_id, c.item_id, c.step_name, c.task_token, c.expires_at < now();
$$;
revoke all on function app.claim_batch_callback(text) from public;
grant execute on function app.claim_batch_callback(text) to anon, authenticated, service_role;

-- Items in flight at once for a batch (chosen at creation, kept for retry-failed).
alter table public.batches add column concurrency integer not null default 10 check (concurrency between 1 and 100);
