-- The workflows list shows how big each workflow is without sending (or reading) its definition:
-- counting `definition -> 'nodes'` per listed row detoasted and decompressed every definition
-- (bench/HTTP-AND-BROWSER.md: 2.34 ms per page of 50 200-node workflows, 0.34 ms without).
-- Stored generated columns: Postgres keeps them in step with every write of `definition`
-- (create, save, duplicate, import, direct SQL), and this statement backfills existing rows.
-- A definition whose nodes/edges are not an array (rows older than the schema) counts 0.
alter table public.workflows
  add column node_count integer not null generated always as (
    case when jsonb_typeof(definition -> 'nodes') = 'array' then jsonb_array_length(definition -> 'nodes') else 0 end
  ) stored,
  add column edge_count integer not null generated always as (
    case when jsonb_typeof(definition -> 'edges') = 'array' then jsonb_array_length(definition -> 'edges') else 0 end
  ) stored;
