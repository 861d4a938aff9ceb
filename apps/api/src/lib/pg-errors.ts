import { ApiError } from './problem.ts';

/** The fields of a node-postgres `DatabaseError` this module reads. */
export interface PgError {
  code: string;
  severity?: string;
  constraint?: string;
  column?: string;
  table?: string;
  detail?: string;
  message: string;
}

export function isPgError(e: unknown): e is PgError {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && 'severity' in (e as object);
}

/** Request field and wording for constraints the API can violate. */
const CONSTRAINTS: Record<string, { field: string; message: string }> = {
  users_email_key: { field: '/email', message: 'an account with this email already exists' },
  organizations_slug_key: { field: '/slug', message: 'an organisation with this slug already exists' },
  organizations_slug_check: { field: '/slug', message: 'slug must be lowercase letters, digits and "-"' },
  organization_members_pkey: { field: '/email', message: 'this user is already a member of the organisation' },
  organization_members_last_admin: { field: '/role', message: 'an organisation must keep at least one admin' },
  projects_org_id_name_key: { field: '/name', message: 'a project with this name already exists in the organisation' },
  projects_workstream_slug_key: { field: '/workstreamSlug', message: 'workstream_slug is already taken' },
  projects_org_id_workstream_slug_key: { field: '/workstreamSlug', message: 'workstream_slug is already taken' },
  projects_workstream_slug_check: { field: '/workstreamSlug', message: 'workstream_slug must be lowercase letters, digits and "_"' },
  project_secrets_project_id_name_key: { field: '/params/name', message: 'a secret with this name already exists' },
  project_secrets_name_check: { field: '/params/name', message: 'secret name must not be blank' },
  components_name_version_created_by_key: { field: '/version', message: 'you already have a component with this name and version' },
  agent_prompts_name_version_created_by_key: { field: '/version', message: 'you already have a prompt with this name and version' },
  components_agent_prompt_id_fkey: { field: '/agentPromptId', message: 'agent prompt does not exist' },
  workflows_workstream_kebab_name_key: { field: '/kebabName', message: 'kebab_name is already used by a workflow in this workstream' },
  workflows_kebab_name_check: { field: '/kebabName', message: 'kebab_name must be lowercase kebab-case' },
  workflows_project_name_version_key: { field: '/name', message: 'a workflow with this name already exists in the project' },
  workflows_project_fkey: { field: '/projectId', message: 'project does not exist' },
  workflow_nodes_workflow_id_node_id_key: { field: '/definition/nodes', message: 'node ids must be unique' },
  workflow_edges_workflow_id_edge_id_key: { field: '/definition/edges', message: 'edge ids must be unique' },
  enrichment_registry_workflow_id_fkey: { field: '/params/workflowId', message: 'a workstream step (enrichment_registry) still runs this workflow' },
  clients_org_id_name_key: { field: '/name', message: 'a client with this name already exists in the organisation' },
  api_tokens_per_user_limit: { field: '/name', message: 'a user may hold at most 50 API tokens; revoke one first' },
};

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** `Key (a, b)=(...)` → the last column, as a camelCase body field. */
function fieldFromDetail(detail: string | undefined): string | null {
  const m = /Key \(([^)]+)\)=/.exec(detail ?? '');
  const cols = m?.[1]?.split(',').map((c) => c.trim()).filter((c) => /^[a-z_][a-z0-9_]*$/.test(c));
  const last = cols?.[cols.length - 1];
  return last ? `/${camel(last)}` : null;
}

/**
 * Translates a Postgres error into an API problem, or returns null for errors that are the
 * server's fault (logged as 500s). Never exposes SQL, values or stack traces: messages come
 * from the table above or name only the column.
 */
export function pgErrorToApiError(e: PgError): ApiError | null {
  const known = e.constraint ? CONSTRAINTS[e.constraint] : undefined;
  const field = known?.field ?? (e.column ? `/${camel(e.column)}` : fieldFromDetail(e.detail)) ?? '/';
  const named = field === '/' ? 'the request' : `\`${field.slice(field.lastIndexOf('/') + 1)}\``;
  switch (e.code) {
    case '23505': // unique_violation
      return new ApiError(409, 'conflict', known?.message ?? `${named} is already taken`, [{ field, code: 'duplicate', message: known?.message ?? 'is already taken' }]);
    case '23514': // check_violation
      if (e.constraint === 'organization_members_last_admin') {
        return new ApiError(409, 'conflict', known!.message, [{ field, code: 'last_admin', message: known!.message }]);
      }
      if (e.constraint === 'api_tokens_per_user_limit') {
        return new ApiError(409, 'conflict', known!.message, [{ field, code: 'limit_reached', message: known!.message }]);
      }
      return new ApiError(400, 'validation_failed', known?.message ?? `${named} is not allowed`, [{ field, code: 'invalid_value', message: known?.message ?? 'is not allowed' }]);
    case '23503': { // foreign_key_violation
      const stillReferenced = /still referenced/.test(e.detail ?? '');
      const msg = known?.message ?? (stillReferenced ? 'other rows still reference this one' : `${named} refers to something that does not exist`);
      return stillReferenced
        ? new ApiError(409, 'conflict', msg, [{ field, code: 'still_referenced', message: msg }])
        : new ApiError(400, 'validation_failed', msg, [{ field, code: 'unknown_reference', message: msg }]);
    }
    case '23502': // not_null_violation
      return new ApiError(400, 'validation_failed', `${named} is required`, [{ field, code: 'required', message: 'is required' }]);
    case '22001': // string_data_right_truncation
      return new ApiError(400, 'validation_failed', 'a value is too long', [{ field, code: 'too_long', message: 'is too long' }]);
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22003': // numeric_value_out_of_range
      return new ApiError(400, 'validation_failed', 'a value has an invalid format', [{ field, code: 'invalid_format', message: 'has an invalid format' }]);
    case '42501': // insufficient_privilege, including "new row violates row-level security policy"
      return new ApiError(403, 'forbidden', 'your role in this organisation does not allow this change',
        [{ field: '/', code: 'row_level_security', message: 'rejected by the organisation\'s access rules' }]);
    case '22021': // character_not_in_repertoire (NUL in text)
    case '22P05': // untranslatable_character (\u0000 or a lone surrogate in jsonb)
      return new ApiError(400, 'validation_failed', 'a text value contains characters that cannot be stored', [{ field, code: 'invalid_text', message: 'contains a NUL character or an unpaired surrogate' }]);
    case '54001': // statement_too_complex / stack depth
      return new ApiError(400, 'validation_failed', 'a value is nested too deeply', [{ field, code: 'too_deep', message: 'is nested too deeply' }]);
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new ApiError(409, 'conflict', 'a concurrent change got in the way; retry the request', [{ field: '/', code: 'retry', message: 'retry the request' }]);
    case '57014': // query_canceled (statement timeout)
      return new ApiError(503, 'service_unavailable', 'the database took too long to answer');
    default:
      return null;
  }
}
