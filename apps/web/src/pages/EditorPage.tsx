import { useMemo, useState } from 'react'
import { useParams } from 'react-router'
import { ReactFlowProvider } from '@xyflow/react'
import { getWorkflow, listComponents } from '../api/client.ts'
import { collectPages } from '../api/paging.ts'
import { useOrg } from '../auth/org-context.tsx'
import { paletteEntries } from '../canvas/palette.ts'
import { WorkflowEditor } from '../editor/WorkflowEditor.tsx'
import { useAsync } from '../hooks/useAsync.ts'
import { ErrorState, Loading } from '../ui/states.tsx'

/** `/orgs/:orgId/workflows/:workflowId[?tab=code]`: loads the workflow and the palette, then the editor. */
export function EditorPage() {
  const { workflowId = '' } = useParams()
  const { org, permissions } = useOrg()
  const [loadCount, setLoadCount] = useState(0)
  const workflow = useAsync((signal) => getWorkflow(org.id, workflowId, signal), [org.id, workflowId, loadCount])
  const components = useAsync((signal) => collectPages((cursor) => listComponents(org.id, { cursor, limit: 100 }, signal)), [org.id])
  const entries = useMemo(() => paletteEntries(components.data ?? []), [components.data])

  if (workflow.error !== undefined) return <ErrorState error={workflow.error} title="Cannot load the workflow" onRetry={workflow.reload} />
  // Also while reloading after a save conflict: the editor restarts on the latest version.
  if (workflow.loading || workflow.data === undefined) return <Loading label="Loading workflow…" />

  return (
    <ReactFlowProvider>
      <WorkflowEditor
        key={`${workflow.data.id}:${loadCount}`}
        orgId={org.id}
        workflow={workflow.data}
        canWrite={permissions.canWrite}
        palette={{ entries, loading: components.loading, error: components.error, reload: components.reload }}
        onReload={() => setLoadCount((n) => n + 1)}
      />
    </ReactFlowProvider>
  )
}
