// Generated from the migrated database by `npm run db:codegen` (kysely-codegen). Do not edit.
import type { ColumnType } from "kysely";

export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;

export type Int8 = ColumnType<string, bigint | number | string, bigint | number | string>;

export type Json = JsonValue;

export type JsonArray = JsonValue[];

export type JsonObject = {
  [x: string]: JsonValue | undefined;
};

export type JsonPrimitive = boolean | number | string | null;

export type JsonValue = JsonArray | JsonObject | JsonPrimitive;

export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ActivityStatistics {
  avg_duration_ms: Generated<number>;
  component_id: string;
  execution_count: Generated<Int8>;
  failure_count: Generated<Int8>;
  id: Generated<string>;
  last_executed_at: Timestamp | null;
  max_duration_ms: number | null;
  min_duration_ms: number | null;
  org_id: string;
  success_count: Generated<Int8>;
  updated_at: Generated<Timestamp>;
  workflow_id: string | null;
}

export interface AgentPrompts {
  capabilities: Generated<string[]>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  deprecated: Generated<boolean>;
  description: string | null;
  display_name: string | null;
  id: Generated<string>;
  name: string;
  org_id: string | null;
  prompt_content: string;
  prompt_variables: Generated<Json>;
  recommended_models: Generated<Json>;
  tags: Generated<string[]>;
  updated_at: Generated<Timestamp>;
  version: Generated<string>;
  visibility_id: Generated<string>;
}

export interface BatchCallbacks {
  batch_id: string;
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
  item_id: string;
  org_id: string;
  step_name: string;
  task_token: Buffer;
  token_hash: string;
  used_at: Timestamp | null;
}

export interface Batches {
  blueprint: string[];
  client_id: string;
  completed_items: Generated<number>;
  concurrency: Generated<number>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  error: string | null;
  failed_items: Generated<number>;
  id: Generated<string>;
  org_id: string;
  status: Generated<string>;
  temporal_workflow_id: string | null;
  total_items: Generated<number>;
  updated_at: Generated<Timestamp>;
  workstream_slug: string;
}

export interface BatchItems {
  batch_id: string;
  created_at: Generated<Timestamp>;
  data: Generated<Json>;
  id: Generated<string>;
  org_id: string;
  position: number;
  status: Generated<string>;
  updated_at: Generated<Timestamp>;
}

export interface Clients {
  created_at: Generated<Timestamp>;
  external_ref: string | null;
  id: Generated<string>;
  name: string;
  org_id: string;
  updated_at: Generated<Timestamp>;
}

export interface ClientWorkflowConfigs {
  client_id: string;
  config: Generated<Json>;
  created_at: Generated<Timestamp>;
  id: Generated<string>;
  org_id: string;
  updated_at: Generated<Timestamp>;
  workflow_slug: string;
  workstream_slug: string;
}

export interface Components {
  agent_prompt_id: string | null;
  capabilities: Generated<string[]>;
  component_type_id: string;
  config_schema: Generated<Json>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  deprecated: Generated<boolean>;
  description: string | null;
  display_name: string | null;
  id: Generated<string>;
  implementation_path: string | null;
  input_schema: Json | null;
  model_name: string | null;
  model_provider: string | null;
  name: string;
  npm_package: string | null;
  org_id: string | null;
  output_schema: Json | null;
  tags: Generated<string[]>;
  updated_at: Generated<Timestamp>;
  version: Generated<string>;
  visibility_id: Generated<string>;
}

export interface ComponentTypes {
  created_at: Generated<Timestamp>;
  description: string | null;
  icon: string | null;
  id: Generated<string>;
  name: string;
}

export interface ComponentVisibility {
  created_at: Generated<Timestamp>;
  description: string | null;
  id: Generated<string>;
  name: string;
}

export interface EnrichmentRegistry {
  async_endpoint_url: string | null;
  callback_timeout_seconds: number | null;
  config_schema: Generated<Json>;
  created_at: Generated<Timestamp>;
  description: string | null;
  id: Generated<string>;
  name: string;
  org_id: string;
  slug: string;
  type: string;
  updated_at: Generated<Timestamp>;
  workflow_id: string | null;
  workstream_slug: string;
}

export interface EnrichmentResults {
  batch_id: string;
  created_at: Generated<Timestamp>;
  id: Generated<string>;
  item_id: string;
  org_id: string;
  result: Generated<Json>;
  workflow_slug: string;
  workstream_slug: string;
}

export interface OrganizationMembers {
  created_at: Generated<Timestamp>;
  org_id: string;
  role_id: string;
  updated_at: Generated<Timestamp>;
  user_id: string;
}

export interface Organizations {
  created_at: Generated<Timestamp>;
  created_by: string | null;
  id: Generated<string>;
  name: string;
  slug: string;
  updated_at: Generated<Timestamp>;
}

export interface Projects {
  avg_execution_duration_ms: Generated<number>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  description: string | null;
  id: Generated<string>;
  is_active: Generated<boolean>;
  last_execution_at: Timestamp | null;
  name: string;
  org_id: string;
  settings: Generated<Json>;
  task_queue_name: string;
  total_activity_executions: Generated<Int8>;
  total_workflow_executions: Generated<Int8>;
  updated_at: Generated<Timestamp>;
  workstream_slug: string;
}

export interface ProjectSecrets {
  ciphertext: string;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  id: Generated<string>;
  name: string;
  org_id: string;
  project_id: string;
  updated_at: Generated<Timestamp>;
}

export interface RuntimeSnapshots {
  created_at: Generated<Timestamp>;
  files: Json;
  hash: string;
}

export interface SchemaMigrations {
  name: string;
  timestamp: string;
}

export interface SchemaMigrationsLock {
  id: string;
  is_locked: Generated<number>;
}

export interface TaskQueues {
  created_at: Generated<Timestamp>;
  created_by: string | null;
  description: string | null;
  display_name: string | null;
  id: Generated<string>;
  is_system_queue: Generated<boolean>;
  max_concurrent_activities: Generated<number>;
  max_concurrent_workflows: Generated<number>;
  name: string;
  org_id: string;
  updated_at: Generated<Timestamp>;
}

export interface UserRoles {
  created_at: Generated<Timestamp>;
  description: string | null;
  id: Generated<string>;
  name: string;
  permissions: Generated<Json>;
}

export interface Users {
  auth_user_id: string | null;
  created_at: Generated<Timestamp>;
  display_name: string | null;
  email: string;
  id: Generated<string>;
  last_login_at: Timestamp | null;
  role_id: string | null;
  updated_at: Generated<Timestamp>;
}

export interface UserWorkflowCacheState {
  cache_key: string;
  created_at: Generated<Timestamp>;
  expires_at: Timestamp | null;
  id: Generated<string>;
  node_id: string;
  org_id: string;
  updated_at: Generated<Timestamp>;
  value: Json | null;
  workflow_id: string;
}

export interface UserWorkflowConfig {
  config: Generated<Json>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  id: Generated<string>;
  is_active: Generated<boolean>;
  name: string;
  org_id: string;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
  workflow_id: string;
}

export interface UserWorkflowRun {
  channel: string;
  client_id: string | null;
  compiled_version: number | null;
  config_snapshot: Json | null;
  context: Generated<Json>;
  created_at: Generated<Timestamp>;
  created_by: string;
  duration_ms: number | null;
  ended_at: Timestamp | null;
  endpoints_used: Generated<Json>;
  error_details: Json | null;
  error_message: string | null;
  external_id: string | null;
  input: Json | null;
  llm_model: string | null;
  llm_prompt: string | null;
  llm_response: string | null;
  llm_tokens_used: number | null;
  org_id: string;
  output: Json | null;
  project_id: string;
  request_id: string | null;
  run_id: Generated<string>;
  started_at: Timestamp | null;
  status: Generated<string>;
  temporal_run_id: string | null;
  temporal_workflow_id: string | null;
  tier: number | null;
  tier_reason: string | null;
  updated_at: Generated<Timestamp>;
  workflow_id: string;
  workstream_slug: string;
}

export interface UserWorkflowRunStep {
  attempt_count: Generated<number>;
  created_at: Generated<Timestamp>;
  duration_ms: number | null;
  ended_at: Timestamp | null;
  error_details: Json | null;
  error_message: string | null;
  events: Generated<Json>;
  input_data: Json | null;
  iteration_key: string | null;
  metadata: Generated<Json>;
  node_id: string;
  node_kind: string | null;
  org_id: string;
  output_data: Json | null;
  retry_count: Generated<number>;
  run_id: string;
  screenshots: Generated<Json>;
  started_at: Timestamp | null;
  status: Generated<string>;
  step_id: Generated<string>;
  step_number: number;
  updated_at: Generated<Timestamp>;
}

export interface UserWorkflows {
  category: string | null;
  config: Generated<Json>;
  created_at: Generated<Timestamp>;
  definition: Json;
  description: string | null;
  execution_count: Generated<number>;
  id: Generated<string>;
  is_active: Generated<boolean>;
  is_favorite: Generated<boolean>;
  last_used: Timestamp | null;
  name: string;
  org_id: string;
  template_id: string | null;
  updated_at: Generated<Timestamp>;
  user_id: string | null;
  workflow_id: string | null;
}

export interface WorkflowChildWorkflows {
  block_until: Json | null;
  can_query_parent: Generated<boolean>;
  can_signal_parent: Generated<boolean>;
  child_workflow_id: string | null;
  child_workflow_name: string;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  id: Generated<string>;
  org_id: string;
  parent_close_policy: Generated<string>;
  parent_node_id: string | null;
  parent_workflow_id: string;
  updated_at: Generated<Timestamp>;
}

export interface WorkflowCompiledCode {
  activities_code: string | null;
  avg_execution_duration_ms: Generated<number>;
  child_versions: Generated<Json>;
  compiled_at: Generated<Timestamp>;
  compiled_by: string | null;
  content_hash: string;
  definition: Json | null;
  execution_count: Generated<Int8>;
  id: Generated<string>;
  is_active: Generated<boolean>;
  last_executed_at: Timestamp | null;
  org_id: string;
  package_json: string | null;
  picked_up_at: Timestamp | null;
  runtime_hash: string | null;
  tsconfig_json: string | null;
  version: number;
  worker_code: string | null;
  workflow_code: string;
  workflow_id: string;
  workflow_type: string | null;
}

export interface WorkflowEdges {
  config: Generated<Json>;
  created_at: Generated<Timestamp>;
  edge_id: string;
  id: Generated<string>;
  label: string | null;
  org_id: string;
  source_handle: string | null;
  source_node_id: string;
  target_node_id: string;
  workflow_id: string;
}

export interface WorkflowExecutions {
  client_id: string | null;
  compiled_version: number | null;
  completed_at: Timestamp | null;
  duration_ms: number | null;
  error: string | null;
  id: Generated<string>;
  inputs: Generated<Json>;
  org_id: string;
  outputs: Json | null;
  project_id: string | null;
  request_id: string | null;
  run_id: string | null;
  started_at: Generated<Timestamp>;
  status: Generated<string>;
  template_id: string | null;
  temporal_run_id: string | null;
  temporal_workflow_id: string | null;
  user_workflow_id: string | null;
  workflow_id: string | null;
  workstream_slug: string | null;
}

export interface WorkflowNodes {
  component_id: string | null;
  config: Generated<Json>;
  created_at: Generated<Timestamp>;
  id: Generated<string>;
  node_id: string;
  node_type: string;
  org_id: string;
  position: Json | null;
  workflow_id: string;
}

export interface WorkflowQueries {
  auto_generated: Generated<boolean>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  description: string | null;
  id: Generated<string>;
  org_id: string;
  query_name: string;
  return_type: Json | null;
  updated_at: Generated<Timestamp>;
  work_queue_id: string | null;
  workflow_id: string;
}

export interface Workflows {
  compiled_typescript: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  definition: Generated<Json>;
  definition_version: Generated<number>;
  deployed_at: Timestamp | null;
  description: string | null;
  display_name: string | null;
  edge_count: Generated<number>;
  execution_timeout_seconds: Generated<number>;
  id: Generated<string>;
  kebab_name: string;
  max_concurrent_executions: Generated<number>;
  name: string;
  node_count: Generated<number>;
  org_id: string;
  project_id: string;
  status_id: Generated<string>;
  task_queue_id: string | null;
  temporal_workflow_id: string | null;
  temporal_workflow_type: string | null;
  updated_at: Generated<Timestamp>;
  version: Generated<string>;
  visibility_id: Generated<string>;
  workstream_slug: string;
}

export interface WorkflowScheduledWorkflows {
  created_at: Generated<Timestamp>;
  created_by: string | null;
  cron_expression: string;
  id: Generated<string>;
  is_paused: Generated<boolean>;
  last_error: string | null;
  max_runs: number | null;
  org_id: string;
  start_immediately: Generated<boolean>;
  temporal_schedule_id: string | null;
  timezone: Generated<string>;
  trigger_node_id: string | null;
  updated_at: Generated<Timestamp>;
  work_queue_id: string | null;
  workflow_id: string;
}

export interface WorkflowSignals {
  auto_generated: Generated<boolean>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  description: string | null;
  id: Generated<string>;
  org_id: string;
  parameters: Generated<Json>;
  signal_name: string;
  updated_at: Generated<Timestamp>;
  work_queue_id: string | null;
  workflow_id: string;
}

export interface WorkflowStates {
  attempts: Generated<number>;
  batch_id: string;
  created_at: Generated<Timestamp>;
  ended_at: Timestamp | null;
  error: string | null;
  id: Generated<string>;
  item_id: string;
  org_id: string;
  run_id: string | null;
  started_at: Timestamp | null;
  status: Generated<string>;
  step_name: string;
  updated_at: Generated<Timestamp>;
  workstream_slug: string;
}

export interface WorkflowStatuses {
  color: string | null;
  created_at: Generated<Timestamp>;
  description: string | null;
  id: Generated<string>;
  name: string;
}

export interface WorkflowSteps {
  created_at: Timestamp | null;
  duration_ms: number | null;
  ended_at: Timestamp | null;
  error_details: Json | null;
  error_message: string | null;
  events: Json | null;
  input_data: Json | null;
  metadata: Json | null;
  node_id: string | null;
  org_id: string | null;
  output_data: Json | null;
  retry_count: number | null;
  screenshots: Json | null;
  started_at: Timestamp | null;
  status: string | null;
  step_id: string | null;
  step_number: number | null;
  trace_id: string | null;
  updated_at: Timestamp | null;
}

export interface WorkflowTemplates {
  category: string | null;
  conditions: Json | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  definition: Json | null;
  goal: string | null;
  id: string;
  is_active: Generated<boolean>;
  name: string;
  org_id: string | null;
  outputs: Json | null;
  steps: Generated<Json>;
  updated_at: Generated<Timestamp>;
  usage_count: Generated<number>;
  visibility_id: Generated<string>;
}

export interface WorkflowTrace {
  channel: string | null;
  config_snapshot: Json | null;
  context: Json | null;
  created_at: Timestamp | null;
  created_by: string | null;
  duration_ms: number | null;
  ended_at: Timestamp | null;
  endpoints_used: Json | null;
  error_details: Json | null;
  error_message: string | null;
  external_id: string | null;
  llm_model: string | null;
  llm_prompt: string | null;
  llm_response: string | null;
  llm_tokens_used: number | null;
  org_id: string | null;
  project_id: string | null;
  started_at: Timestamp | null;
  status: string | null;
  tier: number | null;
  tier_reason: string | null;
  trace_id: string | null;
  updated_at: Timestamp | null;
  workflow_id: string | null;
  workstream_slug: string | null;
}

export interface WorkflowVersions {
  created_at: Generated<Timestamp>;
  created_by: string | null;
  definition: Json;
  definition_version: number;
  description: string | null;
  display_name: string | null;
  id: Generated<string>;
  name: string;
  org_id: string;
  workflow_id: string;
}

export interface WorkflowWebhooks {
  created_at: Generated<Timestamp>;
  created_by: string;
  id: Generated<string>;
  org_id: string;
  revoked_at: Timestamp | null;
  token_hash: string;
  updated_at: Generated<Timestamp>;
  workflow_id: string;
}

export interface WorkflowWorkers {
  created_at: Generated<Timestamp>;
  error_message: string | null;
  id: Generated<string>;
  last_heartbeat_at: Timestamp | null;
  org_id: string;
  project_id: string;
  started_at: Generated<Timestamp>;
  status: Generated<string>;
  stopped_at: Timestamp | null;
  task_queue_name: string;
  updated_at: Generated<Timestamp>;
  worker_id: string;
}

export interface WorkflowWorkQueues {
  created_at: Generated<Timestamp>;
  created_by: string | null;
  deduplicate: Generated<boolean>;
  description: string | null;
  id: Generated<string>;
  max_size: number | null;
  org_id: string;
  priority: Generated<string>;
  query_name: string;
  queue_name: string;
  signal_name: string;
  updated_at: Generated<Timestamp>;
  work_item_schema: Json | null;
  workflow_id: string;
}

export interface DB {
  activity_statistics: ActivityStatistics;
  agent_prompts: AgentPrompts;
  batch_callbacks: BatchCallbacks;
  batch_items: BatchItems;
  batches: Batches;
  client_workflow_configs: ClientWorkflowConfigs;
  clients: Clients;
  component_types: ComponentTypes;
  component_visibility: ComponentVisibility;
  components: Components;
  enrichment_registry: EnrichmentRegistry;
  enrichment_results: EnrichmentResults;
  organization_members: OrganizationMembers;
  organizations: Organizations;
  project_secrets: ProjectSecrets;
  projects: Projects;
  runtime_snapshots: RuntimeSnapshots;
  schema_migrations: SchemaMigrations;
  schema_migrations_lock: SchemaMigrationsLock;
  task_queues: TaskQueues;
  user_roles: UserRoles;
  user_workflow_cache_state: UserWorkflowCacheState;
  user_workflow_config: UserWorkflowConfig;
  user_workflow_run: UserWorkflowRun;
  user_workflow_run_step: UserWorkflowRunStep;
  user_workflows: UserWorkflows;
  users: Users;
  workflow_child_workflows: WorkflowChildWorkflows;
  workflow_compiled_code: WorkflowCompiledCode;
  workflow_edges: WorkflowEdges;
  workflow_executions: WorkflowExecutions;
  workflow_nodes: WorkflowNodes;
  workflow_queries: WorkflowQueries;
  workflow_scheduled_workflows: WorkflowScheduledWorkflows;
  workflow_signals: WorkflowSignals;
  workflow_states: WorkflowStates;
  workflow_statuses: WorkflowStatuses;
  workflow_steps: WorkflowSteps;
  workflow_templates: WorkflowTemplates;
  workflow_trace: WorkflowTrace;
  workflow_versions: WorkflowVersions;
  workflow_webhooks: WorkflowWebhooks;
  workflow_work_queues: WorkflowWorkQueues;
  workflow_workers: WorkflowWorkers;
  workflows: Workflows;
}
