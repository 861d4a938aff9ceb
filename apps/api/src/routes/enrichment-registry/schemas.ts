import { Type } from 'typebox';
import { Description, JsonObject, Name, Nullable, Page, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts';

export const STEP_TYPES = ['sync', 'async'] as const;
export const StepType = Type.Enum(STEP_TYPES, {
  description: 'sync: runs workflowId (a workflow of the workstream\'s project, its deployed version) as a child run; async: POSTs to asyncEndpointUrl and waits for the callback',
});

export const StepSlug = Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Unique within the workstream; the same slug may exist in other workstreams' });
export const WorkstreamSlug = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_]*$', description: 'A project\'s workstream_slug' });
const EndpointUrl = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://', description: 'http(s) URL the async step POSTs { batchId, itemId, step, data, callbackUrl } to' });
/** Up to 7 days. */
const CallbackTimeout = Type.Integer({ minimum: 1, maximum: 604_800, description: 'Seconds the async step waits for its callback (default 3600); then the state is FAILED "callback timed out"' });

export const RegistryEntry = Type.Object({
  id: Uuid,
  orgId: Uuid,
  slug: Type.String(),
  workstreamSlug: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  type: StepType,
  workflowId: Nullable(Uuid),
  asyncEndpointUrl: Nullable(Type.String()),
  callbackTimeoutSeconds: Nullable(Type.Integer()),
  configSchema: Type.Unknown({ description: 'JSON Schema of the per-client config (client_workflow_configs)' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const RegistryPage = Page(RegistryEntry);

export const CreateRegistryBody = Type.Object({
  slug: StepSlug,
  workstreamSlug: WorkstreamSlug,
  name: Name(),
  description: Type.Optional(Nullable(Description)),
  type: StepType,
  workflowId: Type.Optional(Nullable(Uuid)),
  asyncEndpointUrl: Type.Optional(Nullable(EndpointUrl)),
  callbackTimeoutSeconds: Type.Optional(Nullable(CallbackTimeout)),
  configSchema: Type.Optional(JsonObject),
}, { additionalProperties: false });

export const UpdateRegistryBody = Type.Object({
  name: Type.Optional(Name()),
  description: Type.Optional(Nullable(Description)),
  type: Type.Optional(StepType),
  workflowId: Type.Optional(Nullable(Uuid)),
  asyncEndpointUrl: Type.Optional(Nullable(EndpointUrl)),
  callbackTimeoutSeconds: Type.Optional(Nullable(CallbackTimeout)),
  configSchema: Type.Optional(JsonObject),
}, { additionalProperties: false, minProperties: 1 });

export const ListRegistryQuery = Type.Object({
  ...PageQuery,
  workstreamSlug: Type.Optional(WorkstreamSlug),
  type: Type.Optional(StepType),
}, { additionalProperties: false });

export const RegistryParams = Type.Object({ orgId: Uuid, entryId: Uuid });
