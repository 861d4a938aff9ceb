import { Type } from 'typebox';
import { SLUG_PATTERN, type WorkflowDefinition } from '@workflow-builder/definition';
import { Description, Name, Nullable, Page, PageQuery, Search, Timestamp, Uuid, Visibility, WorkflowStatus } from '../../schemas/common.ts';
import { DefinitionRef } from '../../schemas/definition.ts';

export const KebabName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: SLUG_PATTERN,
  description: 'Lowercase kebab-case; unique per workstream; immutable once created (it names the Temporal workflow)',
});

/**
 * A saved definition as stored. Serialised as-is (rows written before the schema existed may
 * not match it); OpenAPI documents it as WorkflowDefinition (see the marker in app.ts).
 */
export const StoredDefinition = Type.Unsafe<WorkflowDefinition>({
  type: 'object',
  additionalProperties: true,
  'x-wb-definition': true,
});

const summary = {
  id: Uuid,
  orgId: Uuid,
  projectId: Uuid,
  workstreamSlug: Type.String(),
  name: Type.String(),
  displayName: Nullable(Type.String()),
  description: Nullable(Type.String()),
  kebabName: Type.String(),
  visibility: Visibility,
  status: WorkflowStatus,
  version: Type.String(),
  definitionVersion: Type.Integer({ description: 'Send back on save (optimistic concurrency)' }),
  nodeCount: Type.Integer({ description: 'Nodes in the saved definition (stored on save: the list never sends definitions)' }),
  edgeCount: Type.Integer({ description: 'Edges in the saved definition' }),
  maxConcurrentExecutions: Type.Integer(),
  executionTimeoutSeconds: Type.Integer(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deployedAt: Nullable(Timestamp),
  isFavorite: Type.Boolean({ description: 'Starred (PUT/DELETE .../favorite)' }),
  lastUsed: Nullable(Timestamp),
  executionCount: Type.Integer({ description: 'Runs started' }),
};

export const WorkflowSummary = Type.Object(summary);
export const Workflow = Type.Object({ ...summary, definition: StoredDefinition });

const MaxConcurrent = Type.Integer({ minimum: 1, maximum: 10_000 });
const ExecutionTimeout = Type.Integer({ minimum: 1, maximum: 31_536_000 });

export const CreateWorkflowBody = Type.Object(
  {
    projectId: Uuid,
    name: Name(255),
    displayName: Type.Optional(Nullable(Name(255))),
    description: Type.Optional(Nullable(Description)),
    kebabName: Type.Optional(KebabName),
    visibility: Type.Optional(Visibility),
    definition: Type.Optional(DefinitionRef),
    maxConcurrentExecutions: Type.Optional(MaxConcurrent),
    executionTimeoutSeconds: Type.Optional(ExecutionTimeout),
  },
  { additionalProperties: false },
);

export const UpdateWorkflowBody = Type.Object(
  {
    definitionVersion: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The definitionVersion this edit is based on; a stale one is a 409' }),
    name: Type.Optional(Name(255)),
    displayName: Type.Optional(Nullable(Name(255))),
    description: Type.Optional(Nullable(Description)),
    kebabName: Type.Optional(Type.String({ maxLength: 255, description: 'Immutable: accepted only if unchanged' })),
    visibility: Type.Optional(Visibility),
    definition: Type.Optional(DefinitionRef),
    maxConcurrentExecutions: Type.Optional(MaxConcurrent),
    executionTimeoutSeconds: Type.Optional(ExecutionTimeout),
  },
  { additionalProperties: false },
);

export const StatusBody = Type.Object({ status: WorkflowStatus }, { additionalProperties: false });

export const DuplicateBody = Type.Object(
  {
    name: Type.Optional(Name(255)),
    projectId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const ValidateBody = Type.Object(
  { definition: Type.Optional(Type.Unknown({ description: 'An unsaved definition to check instead of the saved one' })) },
  { additionalProperties: false },
);

export const ValidationProblem = Type.Object({
  nodeId: Nullable(Type.String()),
  edgeId: Nullable(Type.String()),
  field: Type.String({ description: 'Relative to the node or edge when one is named, else to the definition' }),
  code: Type.String(),
  message: Type.String(),
});
export const ValidationResult = Type.Object({ valid: Type.Boolean(), problems: Type.Array(ValidationProblem) });

const versionSummary = {
  definitionVersion: Type.Integer(),
  name: Type.String(),
  displayName: Nullable(Type.String()),
  description: Nullable(Type.String()),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
};
export const WorkflowVersionSummary = Type.Object(versionSummary);
export const WorkflowVersion = Type.Object({ ...versionSummary, definition: StoredDefinition });

export const WorkflowParams = Type.Object({ orgId: Uuid, workflowId: Uuid });
export const VersionParams = Type.Object({ orgId: Uuid, workflowId: Uuid, version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const ListWorkflowsQuery = Type.Object(
  {
    ...PageQuery,
    projectId: Type.Optional(Uuid),
    status: Type.Optional(WorkflowStatus),
    visibility: Type.Optional(Visibility),
    search: Search,
    favorite: Type.Optional(Type.Boolean({ description: 'Only starred (true) or unstarred (false) workflows' })),
  },
  { additionalProperties: false },
);
export const ListVersionsQuery = Type.Object(PageQuery, { additionalProperties: false });
export const WorkflowPage = Page(WorkflowSummary);
export const WorkflowVersionPage = Page(WorkflowVersionSummary);
