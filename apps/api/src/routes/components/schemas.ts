import { Type } from 'typebox';
import { Description, JsonObject, Name, Nullable, Page, PageQuery, Search, SemVer, Tags, Text, Timestamp, Uuid, Visibility } from '../../schemas/common.ts';

export const ComponentName = Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@/:-]*$', description: 'Identifier, e.g. http.request or acme/enrich-lead' });
export const ComponentTypeName = Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z][a-z0-9_]*$', description: 'A component_types name: activity, agent, signal, trigger' });

export const Component = Type.Object({
  id: Uuid,
  orgId: Nullable(Uuid),
  builtIn: Type.Boolean({ description: 'Shipped with the product (a node kind); read-only' }),
  name: Type.String(),
  displayName: Nullable(Type.String()),
  description: Nullable(Type.String()),
  type: Type.String(),
  version: Type.String(),
  visibility: Visibility,
  configSchema: Type.Record(Type.String(), Type.Unknown()),
  inputSchema: Nullable(Type.Record(Type.String(), Type.Unknown())),
  outputSchema: Nullable(Type.Record(Type.String(), Type.Unknown())),
  tags: Type.Array(Type.String()),
  capabilities: Type.Array(Type.String()),
  agentPromptId: Nullable(Uuid),
  modelProvider: Nullable(Type.String()),
  modelName: Nullable(Type.String()),
  implementationPath: Nullable(Type.String()),
  npmPackage: Nullable(Type.String()),
  deprecated: Type.Boolean(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const editable = {
  displayName: Type.Optional(Nullable(Name(255))),
  description: Type.Optional(Nullable(Description)),
  visibility: Type.Optional(Visibility),
  configSchema: Type.Optional(JsonObject),
  inputSchema: Type.Optional(Nullable(JsonObject)),
  outputSchema: Type.Optional(Nullable(JsonObject)),
  tags: Type.Optional(Tags),
  capabilities: Type.Optional(Tags),
  agentPromptId: Type.Optional(Nullable(Uuid)),
  modelProvider: Type.Optional(Nullable(Text(100))),
  modelName: Type.Optional(Nullable(Text(100))),
  implementationPath: Type.Optional(Nullable(Text(500))),
  npmPackage: Type.Optional(Nullable(Type.String({ maxLength: 214, pattern: '^(@[a-z0-9-~][a-z0-9-._~]*/)?[a-z0-9-~][a-z0-9-._~]*$' }))),
  deprecated: Type.Optional(Type.Boolean()),
};

export const CreateComponentBody = Type.Object(
  { name: ComponentName, type: ComponentTypeName, version: Type.Optional(SemVer), ...editable },
  { additionalProperties: false },
);
export const UpdateComponentBody = Type.Object(editable, { additionalProperties: false, minProperties: 1 });
export const NewComponentVersionBody = Type.Object({ version: SemVer, ...editable }, { additionalProperties: false });

export const ComponentParams = Type.Object({ orgId: Uuid, componentId: Uuid });
export const ListComponentsQuery = Type.Object(
  {
    ...PageQuery,
    type: Type.Optional(ComponentTypeName),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    capability: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Exact name: every version of one component' })),
    search: Search,
    builtIn: Type.Optional(Type.Boolean()),
    visibility: Type.Optional(Visibility),
    deprecated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const ComponentPage = Page(Component);
