import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common.ts';
import { ConfigOverrides } from '../client-configs/schemas.ts';

export const ConfigName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'Letters, digits, "_", "." and "-"' });

export const NamedConfig = Type.Object({
  id: Uuid,
  workflowId: Uuid,
  name: Type.String(),
  version: Type.Integer(),
  config: Type.Record(Type.String(), Type.Unknown()),
  isActive: Type.Boolean(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
});
export const NamedConfigList = Type.Object({ items: Type.Array(NamedConfig) });

export const CreateConfigVersionBody = Type.Object({ name: ConfigName, config: ConfigOverrides }, { additionalProperties: false });
export const UpdateConfigVersionBody = Type.Object({ isActive: Type.Boolean() }, { additionalProperties: false });

export const WorkflowConfigParams = Type.Object({ orgId: Uuid, workflowId: Uuid, name: ConfigName });
export const WorkflowConfigVersionParams = Type.Object({ orgId: Uuid, workflowId: Uuid, name: ConfigName, version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const ConfigSchemaResponse = Type.Object({
  schema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of per-node overrides: one optional property per node' }),
});
