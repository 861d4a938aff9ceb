/**
 * Every API endpoint the web app calls, with its request and response shapes, in one module.
 *
 * Paths are relative to `/api/v1` (see `http.ts`). Shapes follow the API's TypeBox schemas
 * (`apps/api/src/routes/<resource>/schemas.ts`). The engine routes (deploy, compiled code, runs;
 * marked "Engine") were written against the shapes agreed for them and checked against
 * `routes/deployments` and `routes/runs` as they stood; adjust them here only.
 */
import type { WorkflowDefinition } from '@workflow-builder/definition'
import { request } from './http.ts'

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/** A keyset page: pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export interface PageQuery {
  cursor?: string | undefined
  limit?: number | undefined
}

export type Role = 'admin' | 'developer' | 'viewer'
export type Visibility = 'private' | 'organization' | 'public'
export type WorkflowStatus = 'draft' | 'active' | 'paused' | 'archived'

const enc = encodeURIComponent

// ---------------------------------------------------------------------------------------------
// Auth (/v1/auth)
// ---------------------------------------------------------------------------------------------

export interface Membership {
  id: string
  name: string
  slug: string
  role: Role
}

export interface Me {
  user: {
    id: string
    authUserId: string
    email: string
    displayName: string | null
    createdAt: string
    lastLoginAt: string | null
  }
  organizations: Membership[]
  authMethod: 'session' | 'api_token' | 'external'
}

/** POST /auth/sign-in: sets the HTTP-only session cookie. */
export const signIn = (email: string, password: string) =>
  request<{ user: { id: string; email: string; displayName: string | null } }>('POST', '/auth/sign-in', {
    body: { email, password },
    quiet401: true,
  })

/** POST /auth/sign-out: ends the session and clears the cookie. */
export const signOut = () => request<void>('POST', '/auth/sign-out', { body: {}, quiet401: true })

/** GET /auth/me: the user and their organisations with roles (401 when signed out). */
export const getMe = (signal?: AbortSignal) => request<Me>('GET', '/auth/me', { signal, quiet401: true })

// ---------------------------------------------------------------------------------------------
// Projects (/v1/orgs/:orgId/projects)
// ---------------------------------------------------------------------------------------------

export interface Project {
  id: string
  orgId: string
  name: string
  description: string | null
  workstreamSlug: string
  taskQueueName: string
  settings: Record<string, unknown>
  isActive: boolean
  totalWorkflowExecutions: number
  totalActivityExecutions: number
  avgExecutionDurationMs: number
  lastExecutionAt: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export const listProjects = (orgId: string, query: PageQuery & { search?: string | undefined } = {}, signal?: AbortSignal) =>
  request<Page<Project>>('GET', `/orgs/${enc(orgId)}/projects`, { query: { ...query }, signal })

export const createProject = (orgId: string, body: { name: string; description?: string }) =>
  request<Project>('POST', `/orgs/${enc(orgId)}/projects`, { body })

// ---------------------------------------------------------------------------------------------
// Components (/v1/orgs/:orgId/components): the palette
// ---------------------------------------------------------------------------------------------

export interface Component {
  id: string
  orgId: string | null
  /** Shipped with the product: `name` is a node kind id. */
  builtIn: boolean
  name: string
  displayName: string | null
  description: string | null
  type: string
  version: string
  visibility: Visibility
  configSchema: Record<string, unknown>
  inputSchema: Record<string, unknown> | null
  outputSchema: Record<string, unknown> | null
  tags: string[]
  capabilities: string[]
  deprecated: boolean
  createdAt: string
  updatedAt: string
}

export const listComponents = (orgId: string, query: PageQuery & { search?: string; builtIn?: boolean } = {}, signal?: AbortSignal) =>
  request<Page<Component>>('GET', `/orgs/${enc(orgId)}/components`, { query: { ...query }, signal })

// ---------------------------------------------------------------------------------------------
// Workflows (/v1/orgs/:orgId/workflows)
// ---------------------------------------------------------------------------------------------

export interface WorkflowSummary {
  id: string
  orgId: string
  projectId: string
  workstreamSlug: string
  name: string
  displayName: string | null
  description: string | null
  kebabName: string
  visibility: Visibility
  status: WorkflowStatus
  version: string
  /** Send back on save (optimistic concurrency). */
  definitionVersion: number
  /** Counts of the saved definition: the list never carries definitions (getWorkflow does). */
  nodeCount: number
  edgeCount: number
  maxConcurrentExecutions: number
  executionTimeoutSeconds: number
  createdBy: string | null
  createdAt: string
  updatedAt: string
  deployedAt: string | null
  /** Starred (setFavorite in api/configs.ts). */
  isFavorite: boolean
  lastUsed: string | null
  /** Runs started. */
  executionCount: number
}

export interface Workflow extends WorkflowSummary {
  definition: WorkflowDefinition
}

export interface ListWorkflowsQuery extends PageQuery {
  projectId?: string | undefined
  status?: WorkflowStatus | undefined
  search?: string | undefined
  /** Only starred (true) or unstarred (false) workflows. */
  favorite?: boolean | undefined
}

export const listWorkflows = (orgId: string, query: ListWorkflowsQuery = {}, signal?: AbortSignal) =>
  request<Page<WorkflowSummary>>('GET', `/orgs/${enc(orgId)}/workflows`, { query: { ...query }, signal })

export const getWorkflow = (orgId: string, workflowId: string, signal?: AbortSignal) =>
  request<Workflow>('GET', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}`, { signal })

export interface CreateWorkflowBody {
  projectId: string
  name: string
  description?: string | null
  definition?: WorkflowDefinition
}

export const createWorkflow = (orgId: string, body: CreateWorkflowBody) =>
  request<Workflow>('POST', `/orgs/${enc(orgId)}/workflows`, { body })

export interface SaveWorkflowBody {
  /** The definitionVersion this edit is based on; a stale one answers 409 with `currentDefinitionVersion`. */
  definitionVersion: number
  name?: string
  description?: string | null
  definition?: WorkflowDefinition
}

/** PATCH: save with optimistic concurrency. */
export const saveWorkflow = (orgId: string, workflowId: string, body: SaveWorkflowBody) =>
  request<Workflow>('PATCH', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}`, { body })

export const setWorkflowStatus = (orgId: string, workflowId: string, status: WorkflowStatus) =>
  request<Workflow>('POST', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/status`, { body: { status } })

export const duplicateWorkflow = (orgId: string, workflowId: string, body: { name?: string; projectId?: string } = {}) =>
  request<Workflow>('POST', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/duplicate`, { body })

export interface ValidationProblem {
  nodeId: string | null
  edgeId: string | null
  /** Relative to the node or edge when one is named, else to the definition. */
  field: string
  code: string
  message: string
}

/** POST .../validate: checks the given (unsaved) definition, or the saved one. */
export const validateWorkflow = (orgId: string, workflowId: string, definition: WorkflowDefinition | undefined, signal?: AbortSignal) =>
  request<{ valid: boolean; problems: ValidationProblem[] }>('POST', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/validate`, {
    body: definition === undefined ? {} : { definition },
    signal,
  })

// ---------------------------------------------------------------------------------------------
// Templates (/v1/orgs/:orgId/templates)
// ---------------------------------------------------------------------------------------------

export interface TemplateSummary {
  /** A built-in's readable id (`approval-with-timeout`) or an organisation template's uuid. */
  id: string
  orgId: string | null
  builtIn: boolean
  name: string
  goal: string | null
  category: string | null
  /** Usually strings; render anything else as JSON text. */
  steps: unknown[]
  conditions: unknown[]
  outputs: unknown[]
  visibility: Visibility
  usageCount: number
  nodeCount: number
  createdAt: string
  updatedAt: string
}

export interface Template extends TemplateSummary {
  definition: WorkflowDefinition | null
}

/** GET /orgs/:orgId/templates: active templates visible to the caller, by category then name (at most 200). */
export const listTemplates = (orgId: string, query: { category?: string | undefined } = {}, signal?: AbortSignal) =>
  request<{ items: TemplateSummary[] }>('GET', `/orgs/${enc(orgId)}/templates`, { query: { ...query }, signal })

export const getTemplate = (orgId: string, templateId: string, signal?: AbortSignal) =>
  request<Template>('GET', `/orgs/${enc(orgId)}/templates/${enc(templateId)}`, { signal })

export interface InstantiateTemplateBody {
  projectId: string
  name: string
  kebabName?: string
}

/** POST .../templates/:templateId/instantiate: a new workflow with the template's definition. */
export const instantiateTemplate = (orgId: string, templateId: string, body: InstantiateTemplateBody) =>
  request<Workflow>('POST', `/orgs/${enc(orgId)}/templates/${enc(templateId)}/instantiate`, { body })

// ---------------------------------------------------------------------------------------------
// Engine: deploy and compiled code (ASSUMED shapes)
// ---------------------------------------------------------------------------------------------

export interface DeployResult {
  /** Version number of the stored compiled code. */
  version: number
  /** Temporal workflow type of that version. */
  workflowType: string
  contentHash?: string
  /** The code was identical to the latest stored version, which was activated instead. */
  reused?: boolean
  /** Whether a worker serves the new version (false: not within the API's wait; it may still). */
  pickedUp: boolean
  pickedUpAt?: string | null
}

/**
 * Engine: POST .../workflows/:id/deploy (compile, store, activate, then wait for a worker).
 * A definition with problems answers 422 `invalid_workflow` whose errors carry `nodeId`/`edgeId`
 * and point into the saved definition (`/definition/nodes/2/config/url`).
 */
export const deployWorkflow = (orgId: string, workflowId: string) =>
  request<DeployResult>('POST', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/deploy`, { body: {} })

export interface CompiledCode {
  version: number
  workflowType?: string
  isActive?: boolean
  compiledAt?: string
  pickedUpAt?: string | null
  /** Generated sources by role: `workflowCode` (the workflow), `activitiesCode`, `workerCode`, `packageJson`, `tsconfigJson`. */
  files: { workflowCode: string } & Record<string, string>
}

/** Engine: GET .../workflows/:id/compiled: the active version (404 until deployed). */
export const getCompiledCode = (orgId: string, workflowId: string, signal?: AbortSignal) =>
  request<CompiledCode>('GET', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/compiled`, { signal })

// ---------------------------------------------------------------------------------------------
// Engine: runs (ASSUMED shapes)
// ---------------------------------------------------------------------------------------------

export type RunStatusName = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out'

export interface RunSummary {
  runId: string
  workflowId: string
  /** Null when the workflow was deleted. */
  workflowName: string | null
  status: RunStatusName | string
  startedAt: string | null
  endedAt: string | null
  durationMs: number | null
  /** web, api, webhook, schedule, retry or batch. */
  channel: string
  projectId?: string
  createdAt?: string
  compiledVersion?: number | null
  clientId?: string | null
}

export interface RunDetail extends RunSummary {
  input: unknown
  output: unknown
  errorMessage: string | null
  temporalWorkflowId: string | null
  temporalRunId: string | null
  /** The run's history in the Temporal Web UI, when the API knows the UI's address. */
  temporalUiUrl: string | null
  /** The definition of the version that ran (null when it is not known). */
  definition: WorkflowDefinition | null
  /** For a child run: the run whose workflow.child step started it, and that step. */
  parentRunId?: string | null
  parentStepNumber?: number | null
}

/** A run started by one of this run's workflow.child steps. */
export interface ChildRun {
  runId: string
  workflowId: string
  workflowName: string | null
  status: RunStatusName | string
  parentStepNumber: number | null
  nodeId: string | null
  startedAt: string | null
  endedAt: string | null
}

export interface RunStep {
  stepNumber: number
  nodeId: string
  nodeKind: string | null
  /** pending, running, succeeded, failed, retried, skipped, cancelled or cached. */
  status: string
  retryCount: number
  attemptCount?: number
  startedAt: string | null
  endedAt: string | null
  durationMs: number | null
  input: unknown
  output: unknown
  events: unknown
  errorMessage: string | null
  iterationKey: string | null
}

export interface ListRunsQuery extends PageQuery {
  status?: string | undefined
  workflowId?: string | undefined
  projectId?: string | undefined
  /** ISO timestamps bounding the start time. */
  from?: string | undefined
  to?: string | undefined
  clientId?: string | undefined
  /** A JSON object the run context must contain, e.g. `{"customer":"acme"}`. */
  q?: string | undefined
}

/** A started run (start and retry). */
export interface StartedRun {
  runId: string
  temporalWorkflowId?: string
  temporalRunId?: string
  workflowType?: string
  version?: number
}

/** Engine: POST .../workflows/:id/runs with `{ input }`; input problems are 400 errors on `/input/<field>`. */
export const startRun = (orgId: string, workflowId: string, input: unknown) =>
  request<StartedRun>('POST', `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/runs`, { body: { input } })

/** Engine: GET /orgs/:orgId/runs, newest first, keyset paged. */
export const listRuns = (orgId: string, query: ListRunsQuery = {}, signal?: AbortSignal) =>
  request<Page<RunSummary>>('GET', `/orgs/${enc(orgId)}/runs`, { query: { ...query }, signal })

/** Engine: GET /orgs/:orgId/runs/:runId (poll while the run is open). */
export const getRun = (orgId: string, runId: string, signal?: AbortSignal) =>
  request<{ run: RunDetail; steps: RunStep[]; stepsTruncated?: boolean; children?: ChildRun[] }>('GET', `/orgs/${enc(orgId)}/runs/${enc(runId)}`, { signal })

/** Engine: POST .../runs/:runId/cancel (the workflow may clean up). */
export const cancelRun = (orgId: string, runId: string) => request<unknown>('POST', `/orgs/${enc(orgId)}/runs/${enc(runId)}/cancel`, { body: {} })

/** Engine: POST .../runs/:runId/terminate (stops at once). */
export const terminateRun = (orgId: string, runId: string, reason?: string) =>
  request<unknown>('POST', `/orgs/${enc(orgId)}/runs/${enc(runId)}/terminate`, { body: reason === undefined ? {} : { reason } })

/** Engine: POST .../runs/:runId/retry: a new run with the same input. */
export const retryRun = (orgId: string, runId: string) =>
  request<StartedRun>('POST', `/orgs/${enc(orgId)}/runs/${enc(runId)}/retry`, { body: {} })

/** Engine: POST .../runs/:runId/signal with `{ name, payload }`. */
export const signalRun = (orgId: string, runId: string, name: string, payload: unknown) =>
  request<unknown>('POST', `/orgs/${enc(orgId)}/runs/${enc(runId)}/signal`, { body: { name, payload } })

/** Engine: GET .../runs/:runId/query?name= (default wbState); a declared query answers its `returns` path. */
export const queryRun = (orgId: string, runId: string, name: string, signal?: AbortSignal) =>
  request<{ name: string; result: unknown }>('GET', `/orgs/${enc(orgId)}/runs/${enc(runId)}/query`, { query: { name }, signal })

/** What a work queue's state query answers. */
export interface WorkQueueState {
  name: string
  order: 'fifo' | 'lifo' | 'priority'
  maxSize: number | null
  /** Waiting items, in the order they will be taken. */
  items: unknown[]
  inFlight: unknown
  processed: number
  rejected: number
  stopped: boolean
}

/** Engine: GET .../runs/:runId/queues/:queue: the queue's contents and counters. */
export const getWorkQueue = (orgId: string, runId: string, queue: string, signal?: AbortSignal) =>
  request<{ queue: string; state: WorkQueueState | null }>('GET', `/orgs/${enc(orgId)}/runs/${enc(runId)}/queues/${enc(queue)}`, { signal })

/** Engine: POST .../runs/:runId/queues/:queue/items: 201 with the item's position; 409 when full or a duplicate. */
export const enqueueWorkItem = (orgId: string, runId: string, queue: string, item: unknown) =>
  request<{ queue: string; position: number; size: number }>('POST', `/orgs/${enc(orgId)}/runs/${enc(runId)}/queues/${enc(queue)}/items`, { body: { item } })
