/**
 * Batch pipeline endpoints: the enrichment registry (workstream steps,
 * `/v1/orgs/:orgId/enrichment-registry`) and batches (`/v1/orgs/:orgId/batches`), shapes as in
 * `apps/api/src/routes/enrichment-registry/schemas.ts` and `routes/batches/schemas.ts`. Kept
 * beside `client.ts` so the batch pages own them.
 */
import type { Page, PageQuery } from './client.ts'
import { request } from './http.ts'

const enc = encodeURIComponent

// ---------------------------------------------------------------------------------------------
// Workstream steps (enrichment registry)
// ---------------------------------------------------------------------------------------------

export type StepType = 'sync' | 'async'

export interface RegistryEntry {
  id: string
  orgId: string
  /** Unique within the workstream. */
  slug: string
  workstreamSlug: string
  name: string
  description: string | null
  type: StepType
  /** sync: the workflow of the workstream's project it runs (its deployed version). */
  workflowId: string | null
  /** async: where the step POSTs `{ batchId, itemId, step, data, callbackUrl }`. */
  asyncEndpointUrl: string | null
  callbackTimeoutSeconds: number | null
  configSchema: unknown
  createdAt: string
  updatedAt: string
}

export interface RegistryBody {
  name: string
  description: string | null
  type: StepType
  workflowId: string | null
  asyncEndpointUrl: string | null
  callbackTimeoutSeconds: number | null
}

export interface CreateRegistryBody extends RegistryBody {
  slug: string
  workstreamSlug: string
}

const registry = (orgId: string) => `/orgs/${enc(orgId)}/enrichment-registry`

export const listRegistry = (orgId: string, query: PageQuery & { workstreamSlug?: string | undefined; type?: StepType | undefined } = {}, signal?: AbortSignal) =>
  request<Page<RegistryEntry>>('GET', registry(orgId), { query: { ...query }, signal })

/** 400 names the field (`/slug`, `/workflowId`, `/asyncEndpointUrl`, ...); 409 `/slug` when the workstream has it. */
export const createRegistryEntry = (orgId: string, body: CreateRegistryBody) => request<RegistryEntry>('POST', registry(orgId), { body })

/** Slug and workstream are the key and do not change. */
export const updateRegistryEntry = (orgId: string, entryId: string, body: Partial<RegistryBody>) =>
  request<RegistryEntry>('PATCH', `${registry(orgId)}/${enc(entryId)}`, { body })

/** 409 while batches hold results of the step. */
export const deleteRegistryEntry = (orgId: string, entryId: string) => request<void>('DELETE', `${registry(orgId)}/${enc(entryId)}`)

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

export const BATCH_STATUSES = ['PENDING', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const
export type BatchStatus = (typeof BATCH_STATUSES)[number]
export const ITEM_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]
/** The state of one item at one step. */
export const STATE_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const
export type StateStatus = (typeof STATE_STATUSES)[number]

export interface Batch {
  id: string
  orgId: string
  clientId: string
  clientName: string | null
  workstreamSlug: string
  blueprint: string[]
  status: BatchStatus
  totalItems: number
  completedItems: number
  failedItems: number
  /** Why the batch ended FAILED when its orchestrator failed (terminated, timed out, a database step kept failing); null otherwise. */
  error: string | null
  concurrency: number
  temporalWorkflowId: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface BatchDetail extends Batch {
  progress: {
    /** COMPLETED + FAILED + CANCELLED items. */
    finishedItems: number
    percent: number
    items: Record<ItemStatus, number>
  }
  /** Per blueprint step, in order: items in each state. */
  steps: Array<{ step: string; states: Record<StateStatus, number> }>
}

export interface BatchItemStep {
  step: string
  status: StateStatus
  error: string | null
  attempts: number
  /** The child run of a sync step (the latest). */
  runId: string | null
  /** Every run of the step for this item, oldest first (a retried step has several). */
  runIds: string[]
  startedAt: string | null
  endedAt: string | null
  result: unknown
}

export interface BatchItem {
  id: string
  /** 0-based position in the upload. */
  position: number
  status: ItemStatus
  data: unknown
  /** In blueprint order. */
  steps: BatchItemStep[]
}

export interface CreateBatchBody {
  clientId: string
  workstreamSlug: string
  blueprint: string[]
  items?: unknown[]
  csv?: string
  concurrency?: number
}

export interface CreatedBatch {
  batchId: string
  status: BatchStatus
  totalItems: number
  temporalWorkflowId: string
}

export interface ListBatchesQuery extends PageQuery {
  status?: BatchStatus | undefined
  clientId?: string | undefined
  workstreamSlug?: string | undefined
}

const batches = (orgId: string) => `/orgs/${enc(orgId)}/batches`

/** Newest first, keyset paged. */
export const listBatches = (orgId: string, query: ListBatchesQuery = {}, signal?: AbortSignal) =>
  request<Page<Batch>>('GET', batches(orgId), { query: { ...query }, signal })

/** 400 names the field: `/blueprint/2`, `/items/3`, `/csv` (`row 4: ...`), `/clientId`, `/workstreamSlug`. */
export const createBatch = (orgId: string, body: CreateBatchBody) => request<CreatedBatch>('POST', batches(orgId), { body })

/** The batch with its progress (poll while it is open). */
export const getBatch = (orgId: string, batchId: string, signal?: AbortSignal) =>
  request<BatchDetail>('GET', `${batches(orgId)}/${enc(batchId)}`, { signal })

/** Items in upload order (paged by position), each with its per-step states. */
export const listBatchItems = (orgId: string, batchId: string, query: PageQuery & { status?: ItemStatus | undefined } = {}, signal?: AbortSignal) =>
  request<Page<BatchItem>>('GET', `${batches(orgId)}/${enc(batchId)}/items`, { query: { ...query }, signal })

export type BatchAction = 'pause' | 'resume' | 'cancel' | 'retry-failed'

/** 202 with the new status; 409 when the batch is in the wrong state. */
export const controlBatch = (orgId: string, batchId: string, action: BatchAction) =>
  request<{ batchId: string; status: BatchStatus; retriedItems?: number }>('POST', `${batches(orgId)}/${enc(batchId)}/${action}`, { body: {} })
