import { Type } from 'typebox';
import { Nullable, Page, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts';

export const SecretName = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$',
  description: 'Like an environment variable name: letters, digits and "_"',
});

export const SecretParams = Type.Object({ orgId: Uuid, projectId: Uuid, name: SecretName });
export const PutSecretBody = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 65_536, description: 'Stored encrypted (AES-256-GCM); never returned' }) },
  { additionalProperties: false },
);

/** What the API ever says about a secret: never its value. */
export const SecretMetadata = Type.Object({
  name: Type.String(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ListSecretsQuery = Type.Object(PageQuery, { additionalProperties: false });
export const SecretPage = Page(SecretMetadata);
