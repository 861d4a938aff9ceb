-- Schedules managed from the API next to the ones mirrored from trigger.schedule nodes, and the
-- parent node of a child workflow row (issue 7, seed 003).

-- The trigger.schedule node a row mirrors; null for schedules created through the API. A deploy
-- rewrites node rows' cron and time zone from the definition and leaves API rows' settings alone;
-- both keep their paused state across deploys.
alter table public.workflow_scheduled_workflows add column trigger_node_id varchar(100);
create unique index uq_workflow_scheduled_workflows_trigger_node
  on public.workflow_scheduled_workflows(workflow_id, trigger_node_id) where trigger_node_id is not null;

-- The workflow.child node of the parent's deployed definition this row describes (one row per node).
alter table public.workflow_child_workflows add column parent_node_id varchar(100);
create unique index uq_workflow_child_workflows_parent_node
  on public.workflow_child_workflows(parent_workflow_id, parent_node_id) where parent_node_id is not null;
