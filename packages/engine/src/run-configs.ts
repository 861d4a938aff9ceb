import { sql } from 'kysely';
import type { Database } from '@workflow-builder/db';
import { layerOverrides, mergedNodeConfigs, type ConfigOverrides } from '@workflow-builder/definition';
import { EngineError } from './errors.ts';

/**
 * The configuration a run starts with, from three layers (lowest precedence first):
 * the nodes' own configs (compiled) < a named config (`user_workflow_config`) < the client's
 * config for the step (`client_workflow_configs`, keyed by (client, step slug, workstream)).
 * Explicit overrides passed by a caller (tests, the batch orchestrator) go on top.
 */

/** Where a client config is looked up: a step is (slug, workstream), never the slug alone. */
export interface ClientConfigKey {
  clientId: string;
  workflowSlug: string;
  workstreamSlug: string;
}

const isOverrides = (value: unknown): value is ConfigOverrides =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The client's per-node overrides for one step of one workstream, or null when the client has
 * none. Pass the caller's transaction (row-level security applies) or the worker's connection;
 * the batch orchestrator calls it for each (item, step) before starting the step's run.
 *
 * @example
 * const overrides = await resolveClientConfigOverrides(tx, { clientId, workflowSlug: 'enrich', workstreamSlug: 'sales' });
 * await startRun(db, temporal, caller, { workflowId, input, channel: 'batch', clientId, configOverrides: overrides ?? undefined });
 */
export async function resolveClientConfigOverrides(tx: Database, key: ClientConfigKey): Promise<ConfigOverrides | null> {
  const found = await sql<{ config: unknown }>`
    select config from public.client_workflow_configs
    where client_id = ${key.clientId} and workflow_slug = ${key.workflowSlug} and workstream_slug = ${key.workstreamSlug}`.execute(tx);
  const config = found.rows[0]?.config;
  return isOverrides(config) ? config : null;
}

/**
 * The registry step (slug) a workflow runs as in its workstream: the client config of a run is
 * keyed by it. Null when the workflow is no registry step of that workstream.
 *
 * @throws EngineError invalid_input when several steps of the workstream run the workflow and
 * none was named (`field` says where the caller can name one).
 */
export async function stepSlugOfWorkflow(tx: Database, workflowId: string, workstreamSlug: string, field = '/workflowSlug'): Promise<string | null> {
  const found = await sql<{ slug: string }>`
    select slug from public.enrichment_registry
    where workflow_id = ${workflowId} and workstream_slug = ${workstreamSlug}
    order by slug limit 2`.execute(tx);
  if (found.rows.length > 1) {
    throw new EngineError('invalid_input', 'Several steps of the workstream run this workflow; name the step', [
      { field, code: 'ambiguous_step', message: `name one of the steps (${found.rows.map((r) => r.slug).join(', ')}, ...)` },
    ]);
  }
  return found.rows[0]?.slug ?? null;
}

/**
 * Checks a step slug a caller named for a run: it must be a registry step of the workstream that
 * runs this workflow, else its client config (written for another workflow's nodes) would be
 * applied unchecked, or silently not at all.
 *
 * @throws EngineError invalid_input naming `field`.
 */
export async function assertStepRunsWorkflow(tx: Database, workflowId: string, workstreamSlug: string, slug: string, field = '/workflowSlug'): Promise<void> {
  const found = await sql<{ workflow_id: string | null }>`
    select workflow_id from public.enrichment_registry where slug = ${slug} and workstream_slug = ${workstreamSlug}`.execute(tx);
  const step = found.rows[0];
  if (step === undefined) {
    throw new EngineError('invalid_input', `No step ${slug} in workstream ${workstreamSlug}`, [
      { field, code: 'unknown_step', message: `no step ${slug} is registered in the workflow's workstream` },
    ]);
  }
  if (step.workflow_id !== workflowId) {
    throw new EngineError('invalid_input', `Step ${slug} runs another workflow`, [
      { field, code: 'wrong_workflow', message: `step ${slug} does not run this workflow` },
    ]);
  }
}

/** A named config version picked for a run. */
export interface NamedConfigChoice {
  name: string;
  version: number;
  config: ConfigOverrides;
}

/**
 * A workflow's named config: the given version, or the newest active one. Inactive versions are
 * not used (deactivating is how a version is withdrawn).
 *
 * @throws EngineError invalid_input naming `/configName` or `/configVersion`.
 */
export async function resolveNamedConfig(
  tx: Database, workflowId: string, name: string, version?: number,
): Promise<NamedConfigChoice> {
  const found = await sql<{ name: string; version: number; config: unknown; is_active: boolean }>`
    select name, version, config, is_active from public.user_workflow_config
    where workflow_id = ${workflowId} and name = ${name} ${version === undefined ? sql`and is_active` : sql`and version = ${version}`}
    order by version desc limit 1`.execute(tx);
  const row = found.rows[0];
  if (!row) {
    throw version === undefined
      ? new EngineError('invalid_input', `The workflow has no active config named "${name}"`, [{ field: '/configName', code: 'unknown_config', message: 'no active version of this config' }])
      : new EngineError('invalid_input', `Config "${name}" has no version ${version}`, [{ field: '/configVersion', code: 'unknown_config_version', message: 'no such version of this config' }]);
  }
  if (!row.is_active) {
    throw new EngineError('invalid_input', `Version ${version} of config "${name}" is deactivated`, [{ field: '/configVersion', code: 'config_inactive', message: 'this version is deactivated' }]);
  }
  return { name: row.name, version: row.version, config: isOverrides(row.config) ? row.config : {} };
}

/** What `user_workflow_run.config_snapshot` holds for a run started with configuration layers. */
export interface ConfigSnapshot {
  /** The config every node ran with: compiled config (kind defaults filled in) < named < client < explicit, before `{{ }}` evaluation. */
  nodes: Record<string, unknown>;
  /** The layered overrides passed to the workflow (`configOverrides`). */
  overrides: ConfigOverrides;
  namedConfig: { name: string; version: number } | null;
  clientConfig: { clientId: string; workflowSlug: string; workstreamSlug: string } | null;
}

export interface RunConfigRequest {
  workflowId: string;
  workstreamSlug: string;
  clientId?: string | null;
  /** The step the client config is for; default: the registry step of the workflow in its workstream. */
  workflowSlug?: string;
  configName?: string;
  configVersion?: number;
  configOverrides?: ConfigOverrides;
}

/**
 * Resolves the layers of a run's configuration and the snapshot to record. The snapshot is
 * computed here, from the definition of the compiled version that runs (the NODES table of the
 * generated code is built from it), with the same merge rule the workflow applies: so it is the
 * configuration the run used. Null overrides and snapshot when no layer applies.
 */
export async function resolveRunConfig(
  tx: Database, compiledDefinition: unknown, req: RunConfigRequest,
): Promise<{ overrides: ConfigOverrides | null; snapshot: ConfigSnapshot | null }> {
  if (req.configVersion !== undefined && req.configName === undefined) {
    throw new EngineError('invalid_input', 'configVersion needs configName', [{ field: '/configName', code: 'required', message: 'is required with configVersion' }]);
  }
  const named = req.configName === undefined ? null : await resolveNamedConfig(tx, req.workflowId, req.configName, req.configVersion);
  let clientConfig: ConfigSnapshot['clientConfig'] = null;
  let client: ConfigOverrides | null = null;
  if (req.clientId) {
    if (req.workflowSlug !== undefined) await assertStepRunsWorkflow(tx, req.workflowId, req.workstreamSlug, req.workflowSlug);
    const slug = req.workflowSlug ?? (await stepSlugOfWorkflow(tx, req.workflowId, req.workstreamSlug));
    if (slug !== null) {
      const key = { clientId: req.clientId, workflowSlug: slug, workstreamSlug: req.workstreamSlug };
      client = await resolveClientConfigOverrides(tx, key);
      if (client !== null) clientConfig = key;
    }
  }
  if (named === null && client === null && req.configOverrides === undefined) return { overrides: null, snapshot: null };
  const overrides = layerOverrides(named?.config, client, req.configOverrides);
  const snapshot = configSnapshotOf(compiledDefinition, overrides, {
    namedConfig: named === null ? null : { name: named.name, version: named.version },
    clientConfig,
  });
  return { overrides, snapshot };
}

/**
 * The `config_snapshot` of a run from the definition of the compiled version it runs and the
 * overrides passed to it (pure; for callers that resolved the overrides themselves, such as the
 * batch orchestrator's step runs).
 *
 * @example
 * const snapshot = configSnapshotOf(compiled.definition, overrides, { namedConfig: null, clientConfig: { clientId, workflowSlug, workstreamSlug } });
 */
export function configSnapshotOf(
  compiledDefinition: unknown, overrides: ConfigOverrides, layers: Pick<ConfigSnapshot, 'namedConfig' | 'clientConfig'>,
): ConfigSnapshot {
  const nodes = (compiledDefinition as { nodes?: unknown } | null)?.nodes;
  return {
    nodes: Array.isArray(nodes) ? mergedNodeConfigs({ nodes: nodes as Array<{ id: string; kind: string; config: unknown }> }, overrides) : {},
    overrides,
    namedConfig: layers.namedConfig,
    clientConfig: layers.clientConfig,
  };
}
