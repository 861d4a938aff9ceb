import { useMemo } from 'react'
import type { RJSFSchema } from '@rjsf/utils'
import {
  getNodeKind,
  jsonEquals,
  LIMITS,
  MAX_CACHE_TTL_SECONDS,
  RetryPolicySchema,
  WorkflowSettingsSchema,
  type RetryPolicy,
  type StepCache,
  type WorkflowDefinition,
} from '@workflow-builder/definition'
import type { WorkflowFlowEdge, WorkflowFlowNode, WorkflowNodeData } from '../canvas/flow-types.ts'
import { nodeOutputHandles } from '../canvas/node-handles.ts'
import { ConfigForm } from '../forms/ConfigForm.tsx'
import type { DeclaredNames } from '../forms/declared-names.ts'
import type { ExpressionReference } from '../forms/expression-references.ts'
import { problemsToErrorSchema } from '../forms/problem-errors.ts'
import { SchemaForm } from '../forms/SchemaForm.tsx'
import { KindIcon } from '../ui/KindIcon.tsx'
import { JsonTextEditor } from './JsonTextEditor.tsx'
import { MessagesSection } from './MessagesSection.tsx'
import type { LocatedProblem } from './problem-locations.ts'

const plain = (schema: unknown): RJSFSchema => JSON.parse(JSON.stringify(schema)) as RJSFSchema
const retrySchema: RJSFSchema = (() => {
  const schema = plain(RetryPolicySchema)
  delete schema.title
  return schema
})()
const settingsSchema = plain(WorkflowSettingsSchema)
const NO_SUBMIT = { 'ui:submitButtonOptions': { norender: true } }

function ProblemList({ problems, label = 'Problems' }: { problems: readonly LocatedProblem[]; label?: string }) {
  if (problems.length === 0) return null
  return (
    <ul className="problem-list" aria-label={label}>
      {problems.map((problem, index) => (
        <li key={index}>
          {problem.field !== '' && <code>{problem.field}</code>} {problem.message}
        </li>
      ))}
    </ul>
  )
}

const fieldMessages = (problems: readonly LocatedProblem[], field: string) => problems.filter((p) => p.field === field).map((p) => p.message)

/** Settings of one node: label, generated config form, and for activities the timeout and retry policy. */
export function NodePanel({
  node,
  problems,
  references,
  declarations,
  readOnly,
  onChange,
  onDelete,
}: {
  node: WorkflowFlowNode
  problems: readonly LocatedProblem[]
  references: readonly ExpressionReference[]
  /** Names declared on the workflow, for config fields that name one. */
  declarations?: DeclaredNames
  readOnly: boolean
  onChange: (patch: Partial<WorkflowNodeData>, coalesceKey: string) => void
  onDelete: () => void
}) {
  const descriptor = getNodeKind(node.data.kind)
  const { config, retry, timeoutSeconds, label, cache } = node.data
  const retryErrors = useMemo(() => problemsToErrorSchema(problems, 'retry'), [problems])
  const shown = (p: LocatedProblem) => p.field === 'label' || p.field === 'timeoutSeconds' || p.field.startsWith('config.') || p.field.startsWith('config[') || p.field.startsWith('retry.') || p.field === 'cache' || p.field.startsWith('cache.')
  const elsewhere = problems.filter((p) => !shown(p))
  const labelErrors = fieldMessages(problems, 'label')
  const timeoutErrors = fieldMessages(problems, 'timeoutSeconds')
  const hasActivityOptions = descriptor !== undefined && (descriptor.runsIn === 'activity' || descriptor.kind === 'workflow.child')
  const outputs = nodeOutputHandles(node.data.kind, config)

  return (
    <section className="side-panel" aria-label={`Node ${node.id}`}>
      <header className="side-panel-header">
        <KindIcon icon={descriptor?.icon} size={20} />
        <div>
          <h2 className="panel-title">{descriptor?.label ?? `Unknown kind ${node.data.kind}`}</h2>
          <code className="muted">{node.id}</code>
        </div>
      </header>
      {descriptor !== undefined && <p className="muted">{descriptor.description}</p>}
      <ProblemList problems={elsewhere} />

      <div className="field">
        <label htmlFor={`label-${node.id}`}>Label</label>
        <input
          id={`label-${node.id}`}
          value={label}
          maxLength={LIMITS.label}
          readOnly={readOnly}
          aria-invalid={labelErrors.length > 0}
          onChange={(event) => onChange({ label: event.target.value }, `label:${node.id}`)}
        />
        {labelErrors.map((message) => (
          <p key={message} className="field-error">
            {message}
          </p>
        ))}
      </div>

      {descriptor === undefined ? (
        <p className="inline-error">This kind is not known to this version of the editor; its config cannot be edited.</p>
      ) : (
        <>
          <h3 className="panel-subtitle">Settings</h3>
          <ConfigForm
            key={node.id}
            descriptor={descriptor}
            config={config}
            references={references}
            declarations={declarations}
            problems={problems}
            readOnly={readOnly}
            idPrefix={`cfg-${node.id}`}
            onChange={(next) => onChange({ config: next }, `config:${node.id}`)}
          />
        </>
      )}

      {outputs.length > 1 && (
        <p className="muted small-text">
          Outputs: {outputs.map((output) => output.label).join(', ')}
        </p>
      )}

      {hasActivityOptions && (
        <details className="advanced" open={timeoutErrors.length > 0 || problems.some((p) => p.field.startsWith('retry.'))}>
          <summary>Timeout and retries</summary>
          <div className="field">
            <label htmlFor={`timeout-${node.id}`}>Timeout (seconds)</label>
            <input
              id={`timeout-${node.id}`}
              type="number"
              min={1}
              max={86_400}
              readOnly={readOnly}
              value={timeoutSeconds ?? ''}
              placeholder="Workflow default"
              aria-invalid={timeoutErrors.length > 0}
              onChange={(event) => {
                const value = event.target.value === '' ? undefined : Number(event.target.value)
                onChange({ timeoutSeconds: value !== undefined && Number.isFinite(value) ? Math.trunc(value) : undefined }, `timeout:${node.id}`)
              }}
            />
            {timeoutErrors.map((message) => (
              <p key={message} className="field-error">
                {message}
              </p>
            ))}
          </div>
          <h4>Retry policy</h4>
          <SchemaForm
            key={`retry-${node.id}`}
            label="Retry policy"
            schema={retrySchema}
            uiSchema={NO_SUBMIT}
            formData={retry ?? {}}
            idPrefix={`retry-${node.id}`}
            extraErrors={retryErrors.errorSchema}
            readOnly={readOnly}
            onChange={(value) => {
              const next = value as RetryPolicy | undefined
              const cleaned = next === undefined || Object.values(next).every((v) => v === undefined) ? undefined : next
              if (!jsonEquals(cleaned ?? {}, retry ?? {})) onChange({ retry: cleaned }, `retry:${node.id}`)
            }}
          />
        </details>
      )}

      {descriptor?.runsIn === 'activity' && (
        <CacheSettings nodeId={node.id} cache={cache} problems={problems} readOnly={readOnly} onChange={(next) => onChange({ cache: next }, `cache:${node.id}`)} />
      )}

      {!readOnly && (
        <button type="button" className="danger" onClick={onDelete}>
          Delete node
        </button>
      )}
    </section>
  )
}

/**
 * "Cache result": a later run of this workflow reuses this step's stored output (no call) when
 * the key matches and the entry has not expired. The key defaults to the resolved settings.
 */
function CacheSettings({ nodeId, cache, problems, readOnly, onChange }: {
  nodeId: string
  cache: StepCache | undefined
  problems: readonly LocatedProblem[]
  readOnly: boolean
  onChange: (cache: StepCache | undefined) => void
}) {
  const errors = [...fieldMessages(problems, 'cache'), ...fieldMessages(problems, 'cache.key'), ...fieldMessages(problems, 'cache.ttlSeconds')]
  const enabled = cache !== undefined
  return (
    <fieldset className="cache-settings">
      <legend>Cache</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enabled}
          disabled={readOnly}
          onChange={(event) => onChange(event.target.checked ? {} : undefined)}
        />
        Cache result
      </label>
      {enabled && (
        <>
          <div className="field">
            <label htmlFor={`cache-ttl-${nodeId}`}>Keep for (seconds)</label>
            <input
              id={`cache-ttl-${nodeId}`}
              type="number"
              min={1}
              max={MAX_CACHE_TTL_SECONDS}
              readOnly={readOnly}
              value={cache.ttlSeconds ?? ''}
              placeholder="Forever"
              onChange={(event) => {
                const value = event.target.value === '' ? undefined : Math.trunc(Number(event.target.value))
                const { ttlSeconds: _old, ...rest } = cache
                onChange(value !== undefined && Number.isFinite(value) ? { ...rest, ttlSeconds: value } : rest)
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`cache-key-${nodeId}`}>Cache key</label>
            <input
              id={`cache-key-${nodeId}`}
              readOnly={readOnly}
              value={cache.key ?? ''}
              placeholder="Default: the resolved settings"
              onChange={(event) => {
                const { key: _old, ...rest } = cache
                onChange(event.target.value === '' ? rest : { ...rest, key: event.target.value })
              }}
            />
            <p className="field-description">A {'{{ }}'} expression such as {'{{ input.customerId }}'}: runs with the same key share the stored result.</p>
          </div>
        </>
      )}
      {errors.map((message) => (
        <p key={message} className="field-error">
          {message}
        </p>
      ))}
    </fieldset>
  )
}

/** A selected connection. */
export function EdgePanel({
  edge,
  nodes,
  problems,
  readOnly,
  onDelete,
}: {
  edge: WorkflowFlowEdge
  nodes: readonly WorkflowFlowNode[]
  problems: readonly LocatedProblem[]
  readOnly: boolean
  onDelete: () => void
}) {
  const labelOf = (id: string) => nodes.find((node) => node.id === id)?.data.label || id
  const source = nodes.find((node) => node.id === edge.source)
  const handle = source === undefined ? undefined : nodeOutputHandles(source.data.kind, source.data.config).find((h) => h.id === edge.sourceHandle)
  return (
    <section className="side-panel" aria-label={`Connection ${edge.id}`}>
      <h2 className="panel-title">Connection</h2>
      <p>
        From <strong>{labelOf(edge.source)}</strong>
        {handle !== undefined && <> ({handle.label})</>} to <strong>{labelOf(edge.target)}</strong>
      </p>
      <ProblemList problems={problems} />
      {!readOnly && (
        <button type="button" className="danger" onClick={onDelete}>
          Delete connection
        </button>
      )}
    </section>
  )
}

/** Several elements selected. */
export function SelectionPanel({ nodeCount, edgeCount, readOnly, onDelete }: { nodeCount: number; edgeCount: number; readOnly: boolean; onDelete: () => void }) {
  return (
    <section className="side-panel" aria-label="Selection">
      <h2 className="panel-title">
        {nodeCount} node{nodeCount === 1 ? '' : 's'}
        {edgeCount > 0 && `, ${edgeCount} connection${edgeCount === 1 ? '' : 's'}`} selected
      </h2>
      <p className="muted">Drag to move them together; copy with Ctrl+C (⌘C).</p>
      {!readOnly && (
        <button type="button" className="danger" onClick={onDelete}>
          Delete selection
        </button>
      )}
    </section>
  )
}

function checkInputSchema(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a JSON object'
  const schema = value as Record<string, unknown>
  if (schema['type'] !== 'object') return 'must have "type": "object"'
  if (schema['properties'] === null || typeof schema['properties'] !== 'object' || Array.isArray(schema['properties'])) {
    return 'must have "properties": { ... }'
  }
  return undefined
}

/** Nothing selected: the workflow's name, description, signals, run input and settings. */
export function WorkflowPanel({
  name,
  description,
  base,
  problems,
  readOnly,
  onMetaChange,
  onBaseChange,
}: {
  name: string
  description: string | null
  base: WorkflowDefinition
  problems: readonly LocatedProblem[]
  readOnly: boolean
  onMetaChange: (patch: { name?: string; description?: string | null }, coalesceKey: string) => void
  onBaseChange: (patch: Partial<WorkflowDefinition>, coalesceKey: string) => void
}) {
  const settingsErrors = useMemo(() => problemsToErrorSchema(problems, 'settings'), [problems])
  const inputProblems = problems.filter((p) => p.field === 'inputSchema' || p.field.startsWith('inputSchema.'))
  const other = settingsErrors.unplaced.filter((p) => !/^(signals|queries|workQueues)\[\d+\]/.test(p.field) && !p.field.startsWith('inputSchema'))
  return (
    <section className="side-panel" aria-label="Workflow settings">
      <h2 className="panel-title">Workflow</h2>
      <p className="muted">Select a node to edit it. These settings apply to the whole workflow.</p>
      <ProblemList problems={other} label="Workflow problems" />
      <div className="field">
        <label htmlFor="workflow-name">Name</label>
        <input id="workflow-name" value={name} readOnly={readOnly} maxLength={255} onChange={(event) => onMetaChange({ name: event.target.value }, 'name')} />
        {name.trim() === '' && <p className="field-error">A name is required.</p>}
      </div>
      <div className="field">
        <label htmlFor="workflow-description">Description</label>
        <textarea
          id="workflow-description"
          rows={3}
          value={description ?? ''}
          readOnly={readOnly}
          onChange={(event) => onMetaChange({ description: event.target.value === '' ? null : event.target.value }, 'description')}
        />
      </div>

      <MessagesSection base={base} problems={problems} readOnly={readOnly} onBaseChange={onBaseChange} />

      <h3 className="panel-subtitle">Run input</h3>
      <JsonTextEditor
        id="workflow-input-schema"
        label="Input schema (JSON Schema)"
        description='What a run takes as input, e.g. { "type": "object", "properties": { "userId": { "type": "integer" } }, "required": ["userId"] }. The Run form is generated from it.'
        value={base.inputSchema}
        readOnly={readOnly}
        check={checkInputSchema}
        onChange={(value) => onBaseChange({ inputSchema: value as WorkflowDefinition['inputSchema'] }, 'inputSchema')}
      />
      <ProblemList problems={inputProblems} label="Input schema problems" />

      <h3 className="panel-subtitle">Run settings</h3>
      <SchemaForm
        label="Run settings"
        schema={settingsSchema}
        uiSchema={NO_SUBMIT}
        formData={base.settings ?? {}}
        idPrefix="settings"
        extraErrors={settingsErrors.errorSchema}
        readOnly={readOnly}
        onChange={(value) => {
          const next = (value ?? {}) as WorkflowDefinition['settings']
          if (!jsonEquals(next ?? {}, base.settings ?? {})) onBaseChange({ settings: next }, 'settings')
        }}
      />
    </section>
  )
}
