import { Type } from 'typebox';
import { Description, JsonObject, Name, Nullable, Page, PageQuery, Search, Timestamp, Uuid } from '../../schemas/common.ts';

export const WorkstreamSlug = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[a-z0-9][a-z0-9_]{0,99}$',
  description: 'Globally unique workstream slug: lowercase letters, digits and "_"',
});

export const Project = Type.Object({
  id: Uuid,
  orgId: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  workstreamSlug: Type.String(),
  taskQueueName: Type.String({ description: 'The project\'s Temporal task queue: <user_id>-<project_id>' }),
  settings: Type.Record(Type.String(), Type.Unknown(), { description: 'Non-secret settings; secrets go to /secrets' }),
  isActive: Type.Boolean(),
  totalWorkflowExecutions: Type.Integer(),
  totalActivityExecutions: Type.Integer(),
  avgExecutionDurationMs: Type.Integer(),
  lastExecutionAt: Nullable(Timestamp),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateProjectBody = Type.Object(
  {
    name: Name(255),
    description: Type.Optional(Description),
    workstreamSlug: Type.Optional(WorkstreamSlug),
    settings: Type.Optional(JsonObject),
  },
  { additionalProperties: false },
);

export const UpdateProjectBody = Type.Object(
  {
    name: Type.Optional(Name(255)),
    description: Type.Optional(Nullable(Description)),
    workstreamSlug: Type.Optional(WorkstreamSlug),
    settings: Type.Optional(JsonObject),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProjectParams = Type.Object({ orgId: Uuid, projectId: Uuid });
export const ListProjectsQuery = Type.Object({ ...PageQuery, search: Search, isActive: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const ProjectPage = Page(Project);
