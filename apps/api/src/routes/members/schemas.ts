import { Type } from 'typebox';
import { Nullable, Page, PageQuery, Role, Timestamp, Uuid } from '../../schemas/common.ts';
import { Email } from '../auth/schemas.ts';

export const Member = Type.Object({
  userId: Uuid,
  email: Type.String(),
  displayName: Nullable(Type.String()),
  role: Role,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const AddMemberBody = Type.Object({ email: Email, role: Role }, { additionalProperties: false });
export const UpdateMemberBody = Type.Object({ role: Role }, { additionalProperties: false });
export const MemberParams = Type.Object({ orgId: Uuid, userId: Uuid });
export const ListMembersQuery = Type.Object({ ...PageQuery, role: Type.Optional(Role) }, { additionalProperties: false });
export const MemberPage = Page(Member);
