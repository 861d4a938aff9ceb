import { Type } from 'typebox';
import { MAX_BATCH_CONCURRENCY, MAX_BATCH_ITEMS, MAX_BLUEPRINT_STEPS } from '@workflow-builder/engine';
import { Nullable, Page, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts';
import { StepSlug, WorkstreamSlug } from '../enrichment-registry/schemas.ts';

export const BATCH_STATUSES = ['PENDING', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export const BatchStatus = Type.Enum(BATCH_STATUSES, {
  description: 'PENDING (created) -> RUNNING -> COMPLETED (every item succeeded) or FAILED (at least one item failed: retry-failed re-runs those); PAUSED; CANCELLED',
});
export const ITEM_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export const ItemStatus = Type.Enum(ITEM_STATUSES);
export const STATE_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const StateStatus = Type.Enum(STATE_STATUSES, { description: 'A step of an item; PENDING after a failed step means not reached' });

/** At most 16 MB of CSV text (the route's body limit). */
export const MAX_CSV_LENGTH = 16 * 1024 * 1024;

export const CreateBatchBody = Type.Object({
  clientId: Uuid,
  workstreamSlug: WorkstreamSlug,
  blueprint: Type.Array(StepSlug, { minItems: 1, maxItems: MAX_BLUEPRINT_STEPS, description: 'Step slugs registered in the workstream, run in this order on each item' }),
  items: Type.Optional(Type.Array(Type.Unknown(), { maxItems: MAX_BATCH_ITEMS, description: `One JSON object per item (at most ${MAX_BATCH_ITEMS}). Send items or csv` })),
  csv: Type.Optional(Type.String({ maxLength: MAX_CSV_LENGTH, description: 'CSV text: the first row holds the headers, each further row becomes an item object (string values)' })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BATCH_CONCURRENCY, default: 10, description: 'Items in flight at once' })),
}, { additionalProperties: false });

export const Batch = Type.Object({
  id: Uuid,
  orgId: Uuid,
  clientId: Uuid,
  clientName: Nullable(Type.String()),
  workstreamSlug: Type.String(),
  blueprint: Type.Array(Type.String()),
  status: BatchStatus,
  totalItems: Type.Integer(),
  completedItems: Type.Integer(),
  failedItems: Type.Integer(),
  error: Nullable(Type.String({ description: 'Why the batch ended FAILED when its orchestrator failed (a database step kept failing, the workflow was terminated or timed out in Temporal); null otherwise (failed items carry their errors per step). Retry-failed clears it' })),
  concurrency: Type.Integer(),
  temporalWorkflowId: Nullable(Type.String()),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const BatchPage = Page(Batch);

const StatusCounts = (statuses: readonly string[]) => Type.Object(Object.fromEntries(statuses.map((s) => [s, Type.Integer()])));

export const BatchDetail = Type.Object({
  ...Batch.properties,
  progress: Type.Object({
    finishedItems: Type.Integer({ description: 'COMPLETED + FAILED + CANCELLED items' }),
    percent: Type.Number({ description: 'finishedItems / totalItems * 100' }),
    items: StatusCounts(ITEM_STATUSES),
  }),
  steps: Type.Array(Type.Object({ step: Type.String(), states: StatusCounts(STATE_STATUSES) }), { description: 'Per blueprint step, in order: how many items are in each state' }),
});

export const ListBatchesQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(BatchStatus),
  clientId: Type.Optional(Uuid),
  workstreamSlug: Type.Optional(WorkstreamSlug),
}, { additionalProperties: false });

export const ListItemsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$', description: 'nextCursor of the previous page' })),
  status: Type.Optional(ItemStatus),
}, { additionalProperties: false });

export const BatchItem = Type.Object({
  id: Uuid,
  position: Type.Integer({ description: '0-based position in the upload' }),
  status: ItemStatus,
  data: Type.Unknown(),
  steps: Type.Array(Type.Object({
    step: Type.String(),
    status: StateStatus,
    error: Nullable(Type.String()),
    attempts: Type.Integer(),
    runId: Nullable(Uuid),
    runIds: Type.Array(Uuid, { description: 'Every run of this step for this item (sync steps; retries add runs), oldest first; the last is runId' }),
    startedAt: Nullable(Timestamp),
    endedAt: Nullable(Timestamp),
    result: Type.Unknown({ description: 'The step\'s result (enrichment_results), null until it succeeded' }),
  }), { description: 'In blueprint order' }),
});
export const ItemPage = Page(BatchItem);

export const BatchParams = Type.Object({ orgId: Uuid, batchId: Uuid });

export const BatchControlResult = Type.Object({
  batchId: Uuid,
  status: BatchStatus,
  retriedItems: Type.Optional(Type.Integer()),
});

export const CreatedBatch = Type.Object({
  batchId: Uuid,
  status: BatchStatus,
  totalItems: Type.Integer(),
  temporalWorkflowId: Type.String(),
});
