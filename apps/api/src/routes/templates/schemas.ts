import { Type } from 'typebox';
import { Name, Nullable, Timestamp, Uuid, Visibility } from '../../schemas/common.ts';
import { KebabName, StoredDefinition } from '../workflows/schemas.ts';

export const TemplateId = Type.String({
  minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description: 'A built-in template\'s readable id (e.g. approval-with-timeout) or an organisation template\'s uuid',
});
export const TemplateCategory = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_. -]*$' });

const summary = {
  id: TemplateId,
  orgId: Nullable(Uuid),
  builtIn: Type.Boolean({ description: 'Shipped with the product; read-only' }),
  name: Type.String(),
  goal: Nullable(Type.String()),
  category: Nullable(Type.String()),
  steps: Type.Array(Type.Unknown(), { description: 'What the workflow does, step by step (usually strings)' }),
  conditions: Type.Array(Type.Unknown(), { description: 'When it branches or stops early' }),
  outputs: Type.Array(Type.Unknown(), { description: 'What a run returns' }),
  visibility: Visibility,
  usageCount: Type.Integer({ description: 'Workflows created from this template' }),
  nodeCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const TemplateSummary = Type.Object(summary);
export const Template = Type.Object({ ...summary, definition: Nullable(StoredDefinition) });
export const TemplateList = Type.Object({
  items: Type.Array(TemplateSummary, { maxItems: 200, description: 'Ordered by category, then name; at most 200' }),
});

export const TemplateParams = Type.Object({ orgId: Uuid, templateId: TemplateId });
export const ListTemplatesQuery = Type.Object(
  { category: Type.Optional(TemplateCategory) },
  { additionalProperties: false },
);
export const InstantiateTemplateBody = Type.Object(
  {
    projectId: Uuid,
    name: Name(255),
    kebabName: Type.Optional(KebabName),
  },
  { additionalProperties: false },
);
