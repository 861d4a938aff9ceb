import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common.ts';

export const WorkstreamSlug = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_]{0,99}$', description: 'The workstream (project) of the step' });
export const StepSlug = Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'The step\'s slug in enrichment_registry, unique per workstream' });

/** `{ <nodeId>: { <config field>: value } }`, checked against the step workflow's overrides schema. */
export const ConfigOverrides = Type.Record(
  Type.String({ maxLength: 255 }),
  Type.Record(Type.String({ maxLength: 255 }), Type.Unknown(), { maxProperties: 200 }),
  { maxProperties: 2_000, description: 'Per-node config overrides: { <nodeId>: { <config field>: value } }' },
);

export const ClientStepConfig = Type.Object({
  clientId: Uuid,
  workflowSlug: Type.String(),
  workstreamSlug: Type.String(),
  stepName: Type.String(),
  workflowId: Nullable(Uuid),
  /** Null when the client has no config for the step. */
  config: Nullable(Type.Record(Type.String(), Type.Unknown())),
  updatedAt: Nullable(Timestamp),
});

export const ClientStepConfigDetail = Type.Object({
  ...ClientStepConfig.properties,
  schema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the config: one optional property per node of the step workflow' }),
});

export const ClientStepConfigList = Type.Object({ items: Type.Array(ClientStepConfig) });
export const ClientConfigParams = Type.Object({ orgId: Uuid, clientId: Uuid, workstreamSlug: WorkstreamSlug, workflowSlug: StepSlug });
export const ClientConfigsQuery = Type.Object({ workstreamSlug: Type.Optional(WorkstreamSlug) }, { additionalProperties: false });
export const PutClientConfigBody = Type.Object({ config: ConfigOverrides }, { additionalProperties: false });
