import { Type } from 'typebox';
import { Name, Nullable, PageQuery, Page, Timestamp, Uuid } from '../../schemas/common.ts';

export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  tokenPrefix: Type.String({ description: 'The first characters of the token, to recognise it' }),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
});

export const CreateApiTokenBody = Type.Object(
  {
    name: Name(100),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Omit for a token that does not expire' })),
  },
  { additionalProperties: false },
);

export const CreatedApiToken = Type.Object({
  ...ApiToken.properties,
  token: Type.String({ description: 'The token (wbt_...). Shown once: only its hash is stored.' }),
});

export const ListApiTokensQuery = Type.Object(PageQuery, { additionalProperties: false });
export const ApiTokenPage = Page(ApiToken);
export const TokenParams = Type.Object({ tokenId: Uuid });
