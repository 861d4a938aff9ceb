import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/http.ts'
import { apiFieldErrors, emptyStepForm, stepBody, stepFormOf } from './step-form.ts'

describe('step form', () => {
  it('sends a sync step with its workflow and no async settings', () => {
    const body = stepBody({ ...emptyStepForm('acme'), slug: ' normalize ', name: ' Normalize ', workflowId: 'wf-1', asyncEndpointUrl: 'https://left.over', callbackTimeoutSeconds: '9' })
    expect(body).toEqual({ workstreamSlug: 'acme', slug: 'normalize', name: 'Normalize', description: null, type: 'sync', workflowId: 'wf-1', asyncEndpointUrl: null, callbackTimeoutSeconds: null })
  })

  it('sends an async step with its endpoint and timeout, and no workflow', () => {
    const body = stepBody({ ...emptyStepForm('acme'), slug: 'score', name: 'Score', description: ' Scores ', type: 'async', workflowId: 'wf-1', asyncEndpointUrl: 'https://score.test/x', callbackTimeoutSeconds: '120' })
    expect(body).toMatchObject({ description: 'Scores', type: 'async', workflowId: null, asyncEndpointUrl: 'https://score.test/x', callbackTimeoutSeconds: 120 })
    expect(stepBody({ ...emptyStepForm('acme'), type: 'async', callbackTimeoutSeconds: '' }).callbackTimeoutSeconds).toBeNull()
  })

  it('round-trips an entry', () => {
    const entry = {
      id: 'e', orgId: 'o', slug: 'score', workstreamSlug: 'acme', name: 'Score', description: null, type: 'async' as const, workflowId: null,
      asyncEndpointUrl: 'https://score.test', callbackTimeoutSeconds: 60, configSchema: {}, createdAt: '', updatedAt: '',
    }
    expect(stepBody(stepFormOf(entry))).toEqual({ workstreamSlug: 'acme', slug: 'score', name: 'Score', description: null, type: 'async', workflowId: null, asyncEndpointUrl: 'https://score.test', callbackTimeoutSeconds: 60 })
  })

  it('keys the API errors by form field', () => {
    const error = new ApiError(400, {
      code: 'validation_failed', detail: 'invalid',
      errors: [
        { field: '/workflowId', code: 'wrong_workstream', message: 'the workflow belongs to workstream b, not a' },
        { field: '/slug', code: 'pattern', message: 'must match pattern' },
        { field: '/configSchema', code: 'x', message: 'odd' },
      ],
    })
    expect(apiFieldErrors(error)).toEqual({ workflowId: 'the workflow belongs to workstream b, not a', slug: 'must match pattern', other: 'odd' })
    expect(apiFieldErrors(new Error('x'))).toEqual({})
  })
})
