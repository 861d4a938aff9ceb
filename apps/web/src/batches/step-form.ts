/**
 * The workstream step (registry entry) form: what it holds as typed, the request body it sends,
 * and the API's field errors keyed by form field.
 */
import type { CreateRegistryBody, RegistryEntry, StepType } from '../api/batches.ts'
import { isApiError } from '../api/http.ts'

export interface StepFormValues {
  workstreamSlug: string
  slug: string
  name: string
  description: string
  type: StepType
  workflowId: string
  asyncEndpointUrl: string
  /** Seconds, as typed; empty for the default (3600). */
  callbackTimeoutSeconds: string
}

export type StepFormField = keyof StepFormValues

export const emptyStepForm = (workstreamSlug: string): StepFormValues => ({
  workstreamSlug, slug: '', name: '', description: '', type: 'sync', workflowId: '', asyncEndpointUrl: '', callbackTimeoutSeconds: '',
})

export const stepFormOf = (e: RegistryEntry): StepFormValues => ({
  workstreamSlug: e.workstreamSlug,
  slug: e.slug,
  name: e.name,
  description: e.description ?? '',
  type: e.type,
  workflowId: e.workflowId ?? '',
  asyncEndpointUrl: e.asyncEndpointUrl ?? '',
  callbackTimeoutSeconds: e.callbackTimeoutSeconds === null ? '' : String(e.callbackTimeoutSeconds),
})

/**
 * The body to send, with the fields of the other type cleared (the timeout input is numeric; a
 * fraction or an out-of-range number is left for the API to name as `/callbackTimeoutSeconds`).
 *
 * @example
 * stepBody({ ...emptyStepForm('ws'), slug: 'score', name: 'Score', type: 'async', asyncEndpointUrl: 'https://x.test', callbackTimeoutSeconds: '60' })
 * // { workstreamSlug: 'ws', slug: 'score', name: 'Score', description: null, type: 'async', workflowId: null, asyncEndpointUrl: 'https://x.test', callbackTimeoutSeconds: 60 }
 */
export function stepBody(v: StepFormValues): CreateRegistryBody {
  const timeout = v.callbackTimeoutSeconds.trim()
  const sync = v.type === 'sync'
  return {
    workstreamSlug: v.workstreamSlug,
    slug: v.slug.trim(),
    name: v.name.trim(),
    description: v.description.trim() === '' ? null : v.description.trim(),
    type: v.type,
    workflowId: sync && v.workflowId !== '' ? v.workflowId : null,
    asyncEndpointUrl: !sync && v.asyncEndpointUrl.trim() !== '' ? v.asyncEndpointUrl.trim() : null,
    callbackTimeoutSeconds: sync || timeout === '' ? null : Number(timeout),
  }
}

/**
 * The API's errors by form field (`/workflowId` → `workflowId`); errors on no field of the form
 * come back under `other`.
 *
 * @example
 * apiFieldErrors(new ApiError(409, { code: 'conflict', detail: '…', errors: [{ field: '/slug', code: 'duplicate', message: 'step x already exists' }] })).slug
 * // 'step x already exists'
 */
export function apiFieldErrors(error: unknown): Partial<Record<StepFormField | 'other', string>> {
  if (!isApiError(error)) return {}
  const fields: readonly string[] = ['workstreamSlug', 'slug', 'name', 'description', 'type', 'workflowId', 'asyncEndpointUrl', 'callbackTimeoutSeconds']
  const out: Partial<Record<StepFormField | 'other', string>> = {}
  for (const e of error.errors) {
    const key = e.field.replace(/^\/body/, '').split('/')[1] ?? ''
    const field = (fields.includes(key) ? key : 'other') as StepFormField | 'other'
    out[field] = out[field] === undefined ? e.message : `${out[field]}; ${e.message}`
  }
  return out
}
