import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { WorkflowDefinitionSchema, SCHEMA_VERSION, type WorkflowDefinition } from '@workflow-builder/definition';

/**
 * `WorkflowDefinitionSchema` of @workflow-builder/definition as shared Fastify schemas, so one
 * copy serves validation (Ajv), serialisation and OpenAPI (`#/components/schemas/...`).
 * TypeBox's cyclic `$defs` (`$ref: "InputSchema"`) become schemas with their own `$id`, and the
 * API's storage bounds are applied on top of the package's: at most {@link MAX_DEFINITION_NODES}
 * nodes, {@link MAX_DEFINITION_EDGES} edges, and node kinds that fit `workflow_nodes.node_type`.
 */

export const MAX_DEFINITION_NODES = 2_000;
export const MAX_DEFINITION_EDGES = 8_000;
export const MAX_KIND_LENGTH = 50;

const IDS: Record<string, string> = {
  WorkflowDefinition: 'WorkflowDefinition',
  JsonSchema: 'WorkflowJsonSchema',
  InputSchema: 'WorkflowInputSchema',
};

type Json = Record<string, unknown>;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      const id = IDS[v];
      if (!id) throw new Error(`unexpected $ref "${v}" in WorkflowDefinitionSchema`);
      out[k] = `${id}#`;
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out;
}

function buildSchemas(): Json[] {
  const raw = JSON.parse(JSON.stringify(WorkflowDefinitionSchema)) as { $defs: Record<string, Json> };
  const schemas = Object.entries(raw.$defs).map(([name, def]) => {
    const id = IDS[name];
    if (!id) throw new Error(`unexpected definition "${name}" in WorkflowDefinitionSchema`);
    return { ...(rewriteRefs(def) as Json), $id: id, title: id };
  });
  const root = schemas.find((s) => s['$id'] === 'WorkflowDefinition') as unknown as Json & { properties: Record<string, Json & { items: Json & { properties: Record<string, Json> } }> };
  root.properties['nodes']!['maxItems'] = MAX_DEFINITION_NODES;
  root.properties['edges']!['maxItems'] = MAX_DEFINITION_EDGES;
  root.properties['nodes']!.items.properties['kind']!['maxLength'] = MAX_KIND_LENGTH;
  root['description'] = `A workflow definition (schemaVersion ${SCHEMA_VERSION}): nodes, edges, input schema, settings, signals and queries.`;
  return schemas;
}

export const definitionSchemas: readonly Json[] = buildSchemas();

/** The definition in a route schema (typed as `WorkflowDefinition`). */
export const DefinitionRef = Type.Unsafe<WorkflowDefinition>(Type.Ref('WorkflowDefinition#'));

export const emptyDefinition = (): WorkflowDefinition => ({ schemaVersion: SCHEMA_VERSION as 1, nodes: [], edges: [] });

export function registerDefinitionSchemas(app: FastifyInstance): void {
  for (const schema of definitionSchemas) app.addSchema(schema);
}

/**
 * For the OpenAPI document: replaces the stored-definition marker (see StoredDefinition in
 * routes/workflows/schemas.ts) with a reference to the WorkflowDefinition component.
 */
export function linkStoredDefinitions<T>(doc: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (o['x-wb-definition'] === true) {
      return { $ref: '#/components/schemas/WorkflowDefinition', description: 'As saved; rows saved before the definition schema existed may not match it' };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(doc) as T;
}
