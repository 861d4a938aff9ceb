/**
 * Clients, their per-step configs, named configs of a workflow and favourites
 * (`apps/api/src/routes/{clients,client-configs,workflow-configs,favorites}`).
 */
import type { RJSFSchema } from '@rjsf/utils'
import type { Page, PageQuery } from './client.ts'
import { request } from './http.ts'

const enc = encodeURIComponent

/** Per-node overrides: `{ <nodeId>: { <config field>: value } }`. */
export type ConfigOverrides = Record<string, Record<string, unknown>>

export interface Client {
  id: string
  orgId: string
  name: string
  externalRef: string | null
  createdAt: string
  updatedAt: string
}

const clients = (orgId: string) => `/orgs/${enc(orgId)}/clients`

export const listClientsPage = (orgId: string, query: PageQuery & { search?: string | undefined } = {}, signal?: AbortSignal) =>
  request<Page<Client>>('GET', clients(orgId), { query: { ...query }, signal })
export const createClient = (orgId: string, body: { name: string; externalRef?: string | null }) =>
  request<Client>('POST', clients(orgId), { body })
export const updateClient = (orgId: string, clientId: string, body: { name?: string; externalRef?: string | null }) =>
  request<Client>('PATCH', `${clients(orgId)}/${enc(clientId)}`, { body })
/** 409 while the client has batches. */
export const deleteClient = (orgId: string, clientId: string) => request<void>('DELETE', `${clients(orgId)}/${enc(clientId)}`)

/** A workstream step (registry row) with this client's config of it (null: none). */
export interface ClientStepConfig {
  clientId: string
  workflowSlug: string
  workstreamSlug: string
  stepName: string
  workflowId: string | null
  config: ConfigOverrides | null
  updatedAt: string | null
}

export interface ClientStepConfigDetail extends ClientStepConfig {
  /** JSON Schema of the step workflow's overrides: one optional property per node. */
  schema: RJSFSchema
}

const stepPath = (orgId: string, clientId: string, workstreamSlug: string, workflowSlug: string) =>
  `${clients(orgId)}/${enc(clientId)}/configs/${enc(workstreamSlug)}/${enc(workflowSlug)}`

export const listClientConfigs = (orgId: string, clientId: string, signal?: AbortSignal) =>
  request<{ items: ClientStepConfig[] }>('GET', `${clients(orgId)}/${enc(clientId)}/configs`, { signal })
export const getClientConfig = (orgId: string, clientId: string, workstreamSlug: string, workflowSlug: string, signal?: AbortSignal) =>
  request<ClientStepConfigDetail>('GET', stepPath(orgId, clientId, workstreamSlug, workflowSlug), { signal })
/** 400 naming `/config/<nodeId>/<field>` when the config does not fit the step workflow. */
export const saveClientConfig = (orgId: string, clientId: string, workstreamSlug: string, workflowSlug: string, config: ConfigOverrides) =>
  request<ClientStepConfigDetail>('PUT', stepPath(orgId, clientId, workstreamSlug, workflowSlug), { body: { config } })
export const deleteClientConfig = (orgId: string, clientId: string, workstreamSlug: string, workflowSlug: string) =>
  request<void>('DELETE', stepPath(orgId, clientId, workstreamSlug, workflowSlug))

/** One version of a named config of a workflow. */
export interface NamedConfig {
  id: string
  workflowId: string
  name: string
  version: number
  config: ConfigOverrides
  isActive: boolean
  createdBy: string | null
  createdAt: string
}

const wf = (orgId: string, workflowId: string) => `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}`

export const getConfigSchema = (orgId: string, workflowId: string, signal?: AbortSignal) =>
  request<{ schema: RJSFSchema }>('GET', `${wf(orgId, workflowId)}/config-schema`, { signal })
export const listNamedConfigs = (orgId: string, workflowId: string, signal?: AbortSignal) =>
  request<{ items: NamedConfig[] }>('GET', `${wf(orgId, workflowId)}/configs`, { signal })
/** Saves the next version of `name` (1 for a new name). */
export const saveNamedConfig = (orgId: string, workflowId: string, name: string, config: ConfigOverrides) =>
  request<NamedConfig>('POST', `${wf(orgId, workflowId)}/configs`, { body: { name, config } })
export const setNamedConfigActive = (orgId: string, workflowId: string, name: string, version: number, isActive: boolean) =>
  request<NamedConfig>('PATCH', `${wf(orgId, workflowId)}/configs/${enc(name)}/versions/${version}`, { body: { isActive } })

export const setFavorite = (orgId: string, workflowId: string, favorite: boolean) =>
  request<void>(favorite ? 'PUT' : 'DELETE', `${wf(orgId, workflowId)}/favorite`)

/** Options of a run beyond its input: the client (its step config applies) and a named config. */
export interface RunOptions {
  clientId?: string | undefined
  configName?: string | undefined
  configVersion?: number | undefined
}

/** POST /workflows/:id/runs with config options (precedence: node config < named config < client config). */
export const startRunWithOptions = (orgId: string, workflowId: string, input: unknown, options: RunOptions = {}) =>
  request<{ runId: string }>('POST', `${wf(orgId, workflowId)}/runs`, {
    body: {
      input,
      ...(options.clientId ? { clientId: options.clientId } : {}),
      ...(options.configName ? { configName: options.configName } : {}),
      ...(options.configVersion !== undefined ? { configVersion: options.configVersion } : {}),
    },
  })
