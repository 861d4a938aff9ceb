import { Type } from 'typebox';
import { Name, Nullable, Page, PageQuery, Search, Text, Timestamp, Uuid } from '../../schemas/common.ts';

export const Client = Type.Object({
  id: Uuid,
  orgId: Uuid,
  name: Type.String(),
  externalRef: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const ExternalRef = Text(255, { description: 'The client\'s id in another system (CRM, billing)' });

export const CreateClientBody = Type.Object(
  { name: Name(255), externalRef: Type.Optional(Nullable(ExternalRef)) },
  { additionalProperties: false },
);
export const UpdateClientBody = Type.Object(
  { name: Type.Optional(Name(255)), externalRef: Type.Optional(Nullable(ExternalRef)) },
  { additionalProperties: false, minProperties: 1 },
);
export const ClientParams = Type.Object({ orgId: Uuid, clientId: Uuid });
export const ListClientsQuery = Type.Object({ ...PageQuery, search: Search }, { additionalProperties: false });
export const ClientPage = Page(Client);
