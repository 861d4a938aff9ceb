import { Type } from 'typebox';
import { Nullable, Role, Uuid } from '../../schemas/common.ts';

export const RoleSchema = Type.Object({
  id: Uuid,
  name: Role,
  description: Nullable(Type.String()),
  permissions: Type.Record(Type.String(), Type.Boolean(), { description: 'read, write, deploy, run, manage_members' }),
});
export const RoleList = Type.Object({ items: Type.Array(RoleSchema) });
