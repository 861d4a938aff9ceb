import { Type, type Static, type TSchema } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { ProblemBody } from '../lib/problem.ts';

/** Shared building blocks of the route schemas. Enums are defined once, here. */

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ROLES = ['admin', 'developer', 'viewer'] as const;
export const Role = Type.Enum(ROLES, { description: 'Role in an organisation' });
export type Role = Static<typeof Role>;

export const VISIBILITIES = ['private', 'organization', 'public'] as const;
export const Visibility = Type.Enum(VISIBILITIES, {
  description: 'private: its creator only; organization: the members of its organisation; public: every signed-in user',
});
export type Visibility = Static<typeof Visibility>;

export const WORKFLOW_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export const WorkflowStatus = Type.Enum(WORKFLOW_STATUSES);
export type WorkflowStatus = Static<typeof WorkflowStatus>;

/** Free text with a bound. */
export const Text = (maxLength: number, opts: { minLength?: number; description?: string } = {}) => Type.String({ maxLength, ...opts });
/** A required, non-blank name. */
export const Name = (maxLength = 255) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
export const Description = Text(10_000);
export const SemVer = Type.String({ maxLength: 50, pattern: '^(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(-[0-9A-Za-z.-]{1,30})?$', description: 'Semantic version, e.g. 1.2.0' });
export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/ -]*$' }), { maxItems: 30, uniqueItems: true });
/** A JSON object supplied by clients (schemas, settings), bounded in breadth; depth is bounded by bodyLimit. */
export const JsonObject = Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), { maxProperties: 200 });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$', description: 'nextCursor of the previous page' })),
};
export const Search = Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Case-insensitive substring of the name' }));

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String({ description: 'Pass as ?cursor= for the next page' })) });

export const OrgParams = Type.Object({ orgId: Uuid });

// ---------------------------------------------------------------------------
// Problems (application/problem+json)
// ---------------------------------------------------------------------------

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable code: validation_failed, unauthorized, forbidden, not_found, conflict, invalid_workflow, rate_limited, service_unavailable, ...' }),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({
      field: Type.String({ description: 'JSON pointer into the body (/definition/nodes/3/label) or another request part (/params/orgId, /query/limit)' }),
      code: Type.String(),
      message: Type.String(),
      nodeId: Type.Optional(Type.String({ description: 'invalid_workflow: the node the problem is on' })),
      edgeId: Type.Optional(Type.String({ description: 'invalid_workflow: the edge the problem is on' })),
    }))),
    requestId: Type.String(),
    currentDefinitionVersion: Type.Optional(Type.Integer({ description: 'On a stale workflow save: the version to reload' })),
  },
  { $id: 'Problem', title: 'Problem' },
);

const ProblemRef = Type.Unsafe<ProblemBody>(Type.Ref('Problem'));
const problemContent = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemRef } } });

/** The 4xx/5xx responses every route documents. */
export const problemResponses = {
  '4xx': problemContent('Client error: validation_failed (400), unauthorized (401), forbidden (403), not_found (404), method_not_allowed (405), conflict (409), payload_too_large (413), unsupported_media_type (415), invalid_workflow (422), rate_limited (429)'),
  '5xx': problemContent('Server error: internal_error (500), service_unavailable (503: Temporal or the database is unreachable)'),
} as const;

export const NoContent = Type.Null({ description: 'No content' });

/** The body of a POST that takes none: absent or `{}` (see `optionalBody`); any field is unknown. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/** Registers the shared schemas (`$ref`-able by id) on the root instance. */
export function registerCommonSchemas(app: FastifyInstance): void {
  app.addSchema(ProblemSchema);
}
