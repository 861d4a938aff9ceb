import { Type } from 'typebox';
import { Nullable, Page, Timestamp, Uuid } from '../../schemas/common.ts';
import { StoredDefinition } from '../workflows/schemas.ts';

export const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const;
export const RunStatus = Type.Enum(RUN_STATUSES);

/** A run's context: free JSON labels, searchable with `GET /runs?q=` (containment). */
export const RunContext = Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Unknown(), { maxProperties: 50 });

export const StartRunBody = Type.Object(
  {
    input: Type.Optional(Type.Unknown({ description: 'The run input; checked against the workflow inputSchema (problems name /input/<field>)' })),
    clientId: Type.Optional(Uuid),
    context: Type.Optional(RunContext),
    configName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'A named config of the workflow: its newest active version unless configVersion is given' })),
    configVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    workflowSlug: Type.Optional(Type.String({
      minLength: 1, maxLength: 255, pattern: '^[a-z0-9][a-z0-9_-]*$',
      description: 'With clientId: the workstream step whose client config applies (default: the one step of the workflow\'s workstream that runs it). Precedence: node config < named config < client config',
    })),
  },
  { additionalProperties: false },
);

export const StartedRun = Type.Object({
  runId: Uuid,
  temporalWorkflowId: Type.String(),
  temporalRunId: Type.String(),
  workflowType: Type.String(),
  version: Type.Integer(),
  requestId: Type.String({ description: 'The request id (x-request-id): also the run record\'s requestId and the WbRequestId search attribute' }),
});

export const RunParams = Type.Object({ orgId: Uuid, runId: Uuid });

export const ListRunsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$', description: 'nextCursor of the previous page' })),
    status: Type.Optional(RunStatus),
    workflowId: Type.Optional(Uuid),
    projectId: Type.Optional(Uuid),
    clientId: Type.Optional(Uuid),
    from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Created at or after (ISO 8601)' })),
    to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Created before (ISO 8601)' })),
    q: Type.Optional(Type.String({ minLength: 2, maxLength: 2000, description: 'A JSON object the run context must contain (context @> q), e.g. {"customer":"acme"}' })),
  },
  { additionalProperties: false },
);

const runSummary = {
  runId: Uuid,
  workflowId: Uuid,
  workflowName: Nullable(Type.String()),
  projectId: Uuid,
  status: RunStatus,
  channel: Type.String({ description: 'web, api, webhook, schedule, retry or batch' }),
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  durationMs: Nullable(Type.Integer()),
  createdAt: Timestamp,
  compiledVersion: Nullable(Type.Integer()),
  clientId: Nullable(Uuid),
};
export const RunSummary = Type.Object(runSummary);
export const RunPage = Page(RunSummary);

export const Run = Type.Object({
  ...runSummary,
  orgId: Uuid,
  workstreamSlug: Type.String(),
  externalId: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  input: Type.Unknown(),
  output: Type.Unknown(),
  context: Type.Unknown(),
  configSnapshot: Type.Unknown(),
  errorMessage: Nullable(Type.String()),
  errorDetails: Type.Unknown(),
  temporalWorkflowId: Nullable(Type.String()),
  temporalRunId: Nullable(Type.String()),
  temporalUiUrl: Nullable(Type.String({ description: 'The run in the Temporal Web UI (when TEMPORAL_UI_URL is set)' })),
  createdBy: Uuid,
  updatedAt: Timestamp,
  definition: Nullable(StoredDefinition),
  parentRunId: Nullable(Uuid),
  parentStepNumber: Nullable(Type.Integer({ description: 'The parent run\'s step (its workflow.child node) that started this run' })),
});

export const ChildRun = Type.Object({
  runId: Uuid,
  workflowId: Uuid,
  workflowName: Nullable(Type.String()),
  status: Type.String(),
  parentStepNumber: Nullable(Type.Integer()),
  nodeId: Nullable(Type.String({ description: 'The workflow.child node of this run that started it' })),
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
});

export const Step = Type.Object({
  stepNumber: Type.Integer(),
  nodeId: Type.String(),
  nodeKind: Nullable(Type.String()),
  status: Type.String({ description: 'pending, running, succeeded, failed, retried, skipped, cancelled or cached' }),
  retryCount: Type.Integer(),
  attemptCount: Type.Integer(),
  iterationKey: Nullable(Type.String()),
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  durationMs: Nullable(Type.Integer()),
  input: Type.Unknown(),
  output: Type.Unknown(),
  events: Type.Unknown(),
  errorMessage: Nullable(Type.String()),
});

export const RunDetail = Type.Object({
  run: Run,
  steps: Type.Array(Step),
  children: Type.Array(ChildRun, { description: 'Runs this run started as child workflows, in step order (at most 500)' }),
  stepsTruncated: Type.Boolean({ description: 'More than the first 5,000 steps exist (long loops); the rest are not listed' }),
});

export const TerminateBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' })) },
  { additionalProperties: false },
);

/** Signal and query names as declared on definitions. */
const HandlerName = (description: string) => Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', description });

export const SignalBody = Type.Object(
  { name: HandlerName('Signal name, as declared on the definition (e.g. approve)'), payload: Type.Optional(Type.Unknown()) },
  { additionalProperties: false },
);

export const QueryQuery = Type.Object(
  { name: Type.Optional(HandlerName('Query name (default wbState: the state of the steps)')) },
  { additionalProperties: false },
);
export const QueryResult = Type.Object({ name: Type.String(), result: Type.Unknown() });

/** A work queue of a run, by its declared name. */
export const QueueParams = Type.Object({
  orgId: Uuid, runId: Uuid,
  queue: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'The work queue\'s declared name' }),
});

export const EnqueueBody = Type.Object(
  { item: Type.Unknown({ description: 'The work item; checked against the queue\'s itemSchema (problems name /body/item/<field>)' }) },
  { additionalProperties: false, required: ['item'] },
);

export const EnqueuedItem = Type.Object({
  queue: Type.String(),
  position: Type.Integer({ minimum: 1, description: '1-based place in the order items will be taken' }),
  size: Type.Integer({ minimum: 1, description: 'Items waiting, this one included' }),
});

export const QueueStateResult = Type.Object({
  queue: Type.String(),
  state: Type.Unknown({ description: 'items (in take order), inFlight, processed, rejected, maxSize, stopped' }),
});

export const RunAccepted = Type.Object({ runId: Uuid, status: Type.String({ description: 'The run\'s recorded status at the time of the answer' }) });
