import { Type } from 'typebox';
import { Name, Nullable, Role, Timestamp, Uuid } from '../../schemas/common.ts';

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const NewPassword = Type.String({ minLength: 10, maxLength: 200, description: 'At least 10 characters' });

export const SignUpBody = Type.Object(
  {
    email: Email,
    password: NewPassword,
    displayName: Name(100),
    organisationName: Name(255),
  },
  { additionalProperties: false },
);

export const SignInBody = Type.Object(
  {
    email: Email,
    // Any length accepted at sign-in: the policy applies when a password is set.
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const UserSummary = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Nullable(Type.String()),
});

export const Membership = Type.Object({
  id: Uuid,
  name: Type.String(),
  slug: Type.String(),
  role: Role,
});

export const SignUpResponse = Type.Object({ user: UserSummary, organization: Membership });
export const SignInResponse = Type.Object({ user: UserSummary });

export const MeResponse = Type.Object({
  user: Type.Object({
    id: Uuid,
    authUserId: Uuid,
    email: Type.String(),
    displayName: Nullable(Type.String()),
    createdAt: Timestamp,
    lastLoginAt: Nullable(Timestamp),
  }),
  organizations: Type.Array(Membership),
  authMethod: Type.Enum(['session', 'api_token', 'external']),
});

export const RevokedSessions = Type.Object({ revoked: Type.Integer({ minimum: 0 }) });
