import { Type } from 'typebox';
import { Description, Name, Nullable, Page, PageQuery, Search, SemVer, Tags, Timestamp, Uuid, Visibility } from '../../schemas/common.ts';

export const PromptName = Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@/:-]*$' });
export const VARIABLE_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,99}$';

export const PromptVariable = Type.Object(
  {
    name: Type.String({ pattern: VARIABLE_PATTERN, maxLength: 100, description: 'Used as {{name}} in the content' }),
    description: Type.Optional(Type.String({ maxLength: 1_000 })),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);

export const PromptContent = Type.String({ minLength: 1, maxLength: 100_000, description: 'Markdown with {{variable}} placeholders' });

export const AgentPrompt = Type.Object({
  id: Uuid,
  orgId: Nullable(Uuid),
  builtIn: Type.Boolean(),
  name: Type.String(),
  displayName: Nullable(Type.String()),
  description: Nullable(Type.String()),
  version: Type.String(),
  content: Type.String(),
  variables: Type.Array(Type.Unknown()),
  visibility: Visibility,
  capabilities: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  recommendedModels: Type.Array(Type.Unknown()),
  deprecated: Type.Boolean(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const metadata = {
  displayName: Type.Optional(Nullable(Name(255))),
  description: Type.Optional(Nullable(Description)),
  visibility: Type.Optional(Visibility),
  capabilities: Type.Optional(Tags),
  tags: Type.Optional(Tags),
  recommendedModels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 })),
  deprecated: Type.Optional(Type.Boolean()),
};
const Variables = Type.Array(PromptVariable, { maxItems: 100, description: 'Derived from the {{placeholders}} of the content when omitted' });

export const CreatePromptBody = Type.Object(
  { name: PromptName, version: Type.Optional(SemVer), content: PromptContent, variables: Type.Optional(Variables), ...metadata },
  { additionalProperties: false },
);
/** Metadata only: content and variables change through a new version, so runs stay reproducible. */
export const UpdatePromptBody = Type.Object(metadata, { additionalProperties: false, minProperties: 1 });
export const NewPromptVersionBody = Type.Object(
  { version: SemVer, content: Type.Optional(PromptContent), variables: Type.Optional(Variables), ...metadata },
  { additionalProperties: false },
);

export const PromptParams = Type.Object({ orgId: Uuid, promptId: Uuid });
export const ListPromptsQuery = Type.Object(
  {
    ...PageQuery,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Exact name: every version of one prompt' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    capability: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    search: Search,
    visibility: Type.Optional(Visibility),
    deprecated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const PromptPage = Page(AgentPrompt);
