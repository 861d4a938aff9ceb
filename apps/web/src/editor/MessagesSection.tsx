import type { ReactNode } from 'react'
import {
  queueMessageNames,
  type QueryDeclaration,
  type SignalDeclaration,
  type WorkflowDefinition,
  type WorkQueueDeclaration,
} from '@workflow-builder/definition'
import { JsonTextEditor } from './JsonTextEditor.tsx'
import type { LocatedProblem } from './problem-locations.ts'

type Collection = 'signals' | 'queries' | 'workQueues'

/** Problems of one entry (`signals[2].name` …), by the field after the entry (`name`, `parametersSchema.type`). */
function entryProblems(problems: readonly LocatedProblem[], collection: Collection, index: number): Map<string, string[]> {
  const prefix = `${collection}[${index}]`
  const byField = new Map<string, string[]>()
  for (const problem of problems) {
    if (problem.nodeId !== null || problem.edgeId !== null) continue
    if (problem.field !== prefix && !problem.field.startsWith(`${prefix}.`)) continue
    const rest = problem.field.slice(prefix.length + 1)
    const key = rest.split('.')[0] ?? ''
    byField.set(key, [...(byField.get(key) ?? []), problem.message])
  }
  return byField
}

function checkSchema(value: unknown): string | undefined {
  if (value === undefined) return undefined
  return value === null || typeof value !== 'object' || Array.isArray(value) ? 'must be a JSON Schema object, e.g. { "type": "object" }' : undefined
}

function FieldErrors({ messages }: { messages: readonly string[] | undefined }) {
  if (messages === undefined || messages.length === 0) return null
  return (
    <>
      {messages.map((message, i) => (
        <p className="field-error" key={i}>
          {message}
        </p>
      ))}
    </>
  )
}

function TextField({
  id, label, value, onChange, readOnly, errors, placeholder, maxLength,
}: {
  id: string; label: string; value: string | undefined; onChange: (value: string | undefined) => void; readOnly: boolean
  errors: readonly string[] | undefined; placeholder?: string; maxLength?: number
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value ?? ''}
        readOnly={readOnly}
        placeholder={placeholder}
        maxLength={maxLength}
        aria-invalid={errors !== undefined && errors.length > 0}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      />
      <FieldErrors messages={errors} />
    </div>
  )
}

/** An entry of a list, with a remove button. */
function EntryCard({ title, onRemove, readOnly, children }: { title: string; onRemove: () => void; readOnly: boolean; children: ReactNode }) {
  return (
    <fieldset className="message-entry">
      <legend>{title}</legend>
      {children}
      {!readOnly && (
        <button type="button" className="small danger" onClick={onRemove}>
          Remove {title}
        </button>
      )}
    </fieldset>
  )
}

/** Drops keys whose value is undefined (the definition schema has no `undefined`). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

function uniqueName(base: string, taken: readonly string[]): string {
  let name = base
  for (let i = 2; taken.includes(name); i++) name = `${base}${i}`
  return name
}

/**
 * Signals (name, description, parameter schema), queries (name, description, what they return,
 * return schema) and work queues of the workflow, edited in place; problems from validation are
 * shown under the field they name.
 */
export function MessagesSection({
  base,
  problems,
  readOnly,
  onBaseChange,
}: {
  base: WorkflowDefinition
  problems: readonly LocatedProblem[]
  readOnly: boolean
  onBaseChange: (patch: Partial<WorkflowDefinition>, coalesceKey: string) => void
}) {
  const signals = base.signals ?? []
  const queries = base.queries ?? []
  const queues = base.workQueues ?? []
  const setSignals = (next: SignalDeclaration[], key: string) => onBaseChange({ signals: next.length === 0 ? undefined : next }, key)
  const setQueries = (next: QueryDeclaration[], key: string) => onBaseChange({ queries: next.length === 0 ? undefined : next }, key)
  const setQueues = (next: WorkQueueDeclaration[], key: string) => onBaseChange({ workQueues: next.length === 0 ? undefined : next }, key)
  const patchAt = <T extends object>(list: readonly T[], index: number, patch: Partial<T>): T[] =>
    list.map((entry, i) => (i === index ? compact({ ...entry, ...patch }) : entry))

  return (
    <>
      <h3 className="panel-subtitle">Signals</h3>
      <p className="muted small-text">Messages the workflow accepts while it runs; “Wait for signal” nodes name one. The run page builds a form from the parameter schema.</p>
      <div className="message-list" aria-label="Signals">
        {signals.map((signal, index) => {
          const errors = entryProblems(problems, 'signals', index)
          return (
            <EntryCard key={index} title={`signal ${signal.name || index + 1}`} readOnly={readOnly} onRemove={() => setSignals(signals.filter((_, i) => i !== index), 'signals')}>
              <TextField id={`signal-${index}-name`} label="Name" value={signal.name} readOnly={readOnly} errors={errors.get('name')} maxLength={64}
                onChange={(name) => setSignals(patchAt(signals, index, { name: name ?? '' }), `signals.${index}.name`)} />
              <TextField id={`signal-${index}-description`} label="Description" value={signal.description} readOnly={readOnly} errors={errors.get('description')}
                onChange={(description) => setSignals(patchAt(signals, index, { description }), `signals.${index}.description`)} />
              <JsonTextEditor id={`signal-${index}-parameters`} label="Parameter schema (JSON Schema, optional)" rows={4} value={signal.parametersSchema} readOnly={readOnly} check={checkSchema}
                onChange={(value) => setSignals(patchAt(signals, index, { parametersSchema: value as SignalDeclaration['parametersSchema'] }), `signals.${index}.parametersSchema`)} />
              <FieldErrors messages={errors.get('parametersSchema')} />
            </EntryCard>
          )
        })}
      </div>
      {!readOnly && (
        <button type="button" className="small" onClick={() => setSignals([...signals, { name: uniqueName('signal', signals.map((s) => s.name)) }], 'signals')}>
          Add signal
        </button>
      )}

      <h3 className="panel-subtitle">Queries</h3>
      <p className="muted small-text">
        Read-only questions a running workflow answers. Returns: <code>state</code> (steps so far), <code>input.field</code>, <code>steps.nodeId.output</code> or{' '}
        <code>queues.queueName</code>.
      </p>
      <div className="message-list" aria-label="Queries">
        {queries.map((query, index) => {
          const errors = entryProblems(problems, 'queries', index)
          return (
            <EntryCard key={index} title={`query ${query.name || index + 1}`} readOnly={readOnly} onRemove={() => setQueries(queries.filter((_, i) => i !== index), 'queries')}>
              <TextField id={`query-${index}-name`} label="Name" value={query.name} readOnly={readOnly} errors={errors.get('name')} maxLength={64}
                onChange={(name) => setQueries(patchAt(queries, index, { name: name ?? '' }), `queries.${index}.name`)} />
              <TextField id={`query-${index}-description`} label="Description" value={query.description} readOnly={readOnly} errors={errors.get('description')}
                onChange={(description) => setQueries(patchAt(queries, index, { description }), `queries.${index}.description`)} />
              <TextField id={`query-${index}-returns`} label="Returns" value={query.returns} readOnly={readOnly} errors={errors.get('returns')} placeholder="state"
                onChange={(returns) => setQueries(patchAt(queries, index, { returns }), `queries.${index}.returns`)} />
              <JsonTextEditor id={`query-${index}-return-schema`} label="Return schema (JSON Schema, optional)" rows={3} value={query.returnSchema} readOnly={readOnly} check={checkSchema}
                onChange={(value) => setQueries(patchAt(queries, index, { returnSchema: value as QueryDeclaration['returnSchema'] }), `queries.${index}.returnSchema`)} />
              <FieldErrors messages={errors.get('returnSchema')} />
            </EntryCard>
          )
        })}
      </div>
      {!readOnly && (
        <button type="button" className="small" onClick={() => setQueries([...queries, { name: uniqueName('query', queries.map((q) => q.name)) }], 'queries')}>
          Add query
        </button>
      )}

      <h3 className="panel-subtitle">Work queues</h3>
      <p className="muted small-text">
        Items added while the run is open (from the run page, the API or a signal) and processed one at a time by a “Process work queue” node. Each queue gets a{' '}
        <code>name_add</code> and <code>name_stop</code> signal and a <code>name_state</code> query.
      </p>
      <div className="message-list" aria-label="Work queues">
        {queues.map((queue, index) => {
          const errors = entryProblems(problems, 'workQueues', index)
          const names = queue.name ? queueMessageNames(queue.name) : undefined
          return (
            <EntryCard key={index} title={`queue ${queue.name || index + 1}`} readOnly={readOnly} onRemove={() => setQueues(queues.filter((_, i) => i !== index), 'workQueues')}>
              <TextField id={`queue-${index}-name`} label="Name" value={queue.name} readOnly={readOnly} errors={errors.get('name')} maxLength={40}
                onChange={(name) => setQueues(patchAt(queues, index, { name: name ?? '' }), `workQueues.${index}.name`)} />
              {names !== undefined && (
                <p className="muted small-text">
                  Generates <code>{names.add}</code>, <code>{names.stop}</code>, <code>{names.state}</code>.
                </p>
              )}
              <TextField id={`queue-${index}-description`} label="Description" value={queue.description} readOnly={readOnly} errors={errors.get('description')}
                onChange={(description) => setQueues(patchAt(queues, index, { description }), `workQueues.${index}.description`)} />
              <div className="field">
                <label htmlFor={`queue-${index}-order`}>Order</label>
                <select id={`queue-${index}-order`} value={queue.order ?? 'fifo'} disabled={readOnly}
                  onChange={(event) => setQueues(patchAt(queues, index, { order: event.target.value as WorkQueueDeclaration['order'] }), `workQueues.${index}.order`)}>
                  <option value="fifo">First in, first out</option>
                  <option value="lifo">Last in, first out</option>
                  <option value="priority">Highest priority first</option>
                </select>
                <FieldErrors messages={errors.get('order')} />
              </div>
              {queue.order === 'priority' && (
                <TextField id={`queue-${index}-priority-field`} label="Priority field" value={queue.priorityField} readOnly={readOnly} errors={errors.get('priorityField')} placeholder="priority"
                  onChange={(priorityField) => setQueues(patchAt(queues, index, { priorityField }), `workQueues.${index}.priorityField`)} />
              )}
              <div className="field">
                <label htmlFor={`queue-${index}-max-size`}>Maximum size</label>
                <input id={`queue-${index}-max-size`} type="number" min={1} step={1} value={queue.maxSize ?? ''} readOnly={readOnly} placeholder="unlimited"
                  onChange={(event) => setQueues(patchAt(queues, index, { maxSize: event.target.value === '' ? undefined : Number(event.target.value) }), `workQueues.${index}.maxSize`)} />
                <FieldErrors messages={errors.get('maxSize')} />
              </div>
              <label className="checkbox">
                <input type="checkbox" checked={queue.deduplicate === true} disabled={readOnly}
                  onChange={(event) => setQueues(patchAt(queues, index, { deduplicate: event.target.checked ? true : undefined }), `workQueues.${index}.deduplicate`)} />
                Reject duplicates
              </label>
              {queue.deduplicate === true && (
                <TextField id={`queue-${index}-dedupe-by`} label="Duplicate key (item field; empty: whole item)" value={queue.dedupeBy} readOnly={readOnly} errors={errors.get('dedupeBy')}
                  onChange={(dedupeBy) => setQueues(patchAt(queues, index, { dedupeBy }), `workQueues.${index}.dedupeBy`)} />
              )}
              <JsonTextEditor id={`queue-${index}-item-schema`} label="Item schema (JSON Schema, optional)" rows={4} value={queue.itemSchema} readOnly={readOnly} check={checkSchema}
                onChange={(value) => setQueues(patchAt(queues, index, { itemSchema: value as WorkQueueDeclaration['itemSchema'] }), `workQueues.${index}.itemSchema`)} />
              <FieldErrors messages={errors.get('itemSchema')} />
            </EntryCard>
          )
        })}
      </div>
      {!readOnly && (
        <button type="button" className="small" onClick={() => setQueues([...queues, { name: uniqueName('queue', queues.map((q) => q.name)), order: 'fifo' }], 'workQueues')}>
          Add work queue
        </button>
      )}
    </>
  )
}
