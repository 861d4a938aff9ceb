import { useState, type FormEvent } from 'react'
import { instantiateTemplate, listTemplates, type Project, type TemplateSummary, type Workflow } from '../api/client.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { Dialog } from '../ui/Dialog.tsx'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'

const UNCATEGORISED = 'Other'

/**
 * Templates grouped by category, in the API's order (categories sorted, then names); templates
 * without a category come last under "Other".
 *
 * @example
 * groupByCategory(items) // [['ai', [...]], ['approvals', [...]], ['Other', [...]]]
 */
export function groupByCategory(templates: readonly TemplateSummary[]): Array<[string, TemplateSummary[]]> {
  const groups = new Map<string, TemplateSummary[]>()
  for (const template of templates) {
    const key = template.category ?? UNCATEGORISED
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [template])
    else group.push(template)
  }
  const named = [...groups.entries()].filter(([key]) => key !== UNCATEGORISED)
  const other = groups.get(UNCATEGORISED)
  return other === undefined ? named : [...named, [UNCATEGORISED, other]]
}

/** "data-enrichment" → "Data enrichment". */
export const categoryLabel = (category: string): string => {
  const words = category.replace(/[-_]+/g, ' ').trim()
  return words === '' ? category : words[0]!.toUpperCase() + words.slice(1)
}

/** A step, condition or output as plain text (strings as-is, anything else as JSON). */
export const itemText = (item: unknown): string => (typeof item === 'string' ? item : JSON.stringify(item) ?? '')

/**
 * "Start from a template": lists the templates by category with their goal, then asks for a name
 * and a project and creates the workflow (POST .../templates/:id/instantiate). Text from the API
 * is rendered as text only.
 */
export function TemplatesDialog({
  orgId,
  projects,
  defaultProjectId,
  onClose,
  onCreated,
  onNewProject,
}: {
  orgId: string
  projects: readonly Project[]
  defaultProjectId: string
  onClose: () => void
  onCreated: (workflow: Workflow) => void
  onNewProject: () => void
}) {
  const templates = useAsync((signal) => listTemplates(orgId, {}, signal), [orgId])
  const [category, setCategory] = useState('')
  const [chosen, setChosen] = useState<TemplateSummary | undefined>(undefined)

  const groups = groupByCategory(templates.data?.items ?? [])
  const shown = category === '' ? groups : groups.filter(([key]) => key === category)

  return (
    <Dialog open wide title={chosen === undefined ? 'Start from a template' : `New workflow from “${chosen.name}”`} onClose={onClose}>
      {chosen !== undefined ? (
        <InstantiateForm
          orgId={orgId}
          template={chosen}
          projects={projects}
          defaultProjectId={defaultProjectId}
          onBack={() => setChosen(undefined)}
          onCreated={onCreated}
          onNewProject={onNewProject}
        />
      ) : templates.loading && templates.data === undefined ? (
        <Loading label="Loading templates…" />
      ) : templates.error !== undefined ? (
        <ErrorState error={templates.error} title="Cannot load templates" onRetry={templates.reload} />
      ) : groups.length === 0 ? (
        <EmptyState title="No templates available" />
      ) : (
        <div className="stack">
          <label>
            Category
            <select value={category} onChange={(event) => setCategory(event.target.value)}>
              <option value="">All categories</option>
              {groups.map(([key]) => (
                <option key={key} value={key}>
                  {categoryLabel(key)}
                </option>
              ))}
            </select>
          </label>
          {shown.map(([key, items]) => (
            <section key={key} aria-label={categoryLabel(key)}>
              <h3>{categoryLabel(key)}</h3>
              <ul className="card-list">
                {items.map((template) => (
                  <li key={template.id} className="card-link">
                    <div>
                      <strong>{template.name}</strong>
                      {!template.builtIn && <span className="muted small-text"> · your organisation</span>}
                      {template.goal !== null && <p className="muted">{template.goal}</p>}
                      {template.steps.length > 0 && (
                        <ol className="small-text">
                          {template.steps.map((step, index) => (
                            <li key={index}>{itemText(step)}</li>
                          ))}
                        </ol>
                      )}
                      <div className="muted small-text">
                        {template.nodeCount} nodes · used {template.usageCount} {template.usageCount === 1 ? 'time' : 'times'}
                      </div>
                    </div>
                    <div>
                      <button type="button" className="small" onClick={() => setChosen(template)} aria-label={`Use template ${template.name}`}>
                        Use
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <div className="dialog-footer">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Dialog>
  )
}

function InstantiateForm({
  orgId,
  template,
  projects,
  defaultProjectId,
  onBack,
  onCreated,
  onNewProject,
}: {
  orgId: string
  template: TemplateSummary
  projects: readonly Project[]
  defaultProjectId: string
  onBack: () => void
  onCreated: (workflow: Workflow) => void
  onNewProject: () => void
}) {
  const [name, setName] = useState(template.name)
  const [projectId, setProjectId] = useState(defaultProjectId || projects[0]?.id || '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)

  if (projects.length === 0) {
    return (
      <div className="stack">
        <p>Workflows live in a project. This organisation has none yet.</p>
        <div className="dialog-footer">
          <button type="button" onClick={onBack}>
            Back
          </button>
          <button type="button" className="primary" onClick={onNewProject}>
            Create a project
          </button>
        </div>
      </div>
    )
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      onCreated(await instantiateTemplate(orgId, template.id, { projectId, name: name.trim() }))
    } catch (reason) {
      setError(reason)
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} className="stack">
      {template.goal !== null && <p className="muted">{template.goal}</p>}
      <label>
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} required autoFocus maxLength={255} />
      </label>
      <label>
        Project
        <select value={projectId} onChange={(event) => setProjectId(event.target.value)}>
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </select>
      </label>
      <InlineError error={error} />
      <div className="dialog-footer">
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button type="submit" className="primary" disabled={busy || name.trim() === '' || projectId === ''}>
          {busy ? 'Creating…' : 'Create workflow'}
        </button>
      </div>
    </form>
  )
}
