import { createBrowserRouter, Navigate } from 'react-router'
import { RouterProvider } from 'react-router/dom'
import { RequireSession } from './auth/RequireSession.tsx'
import { SessionProvider } from './auth/session.tsx'
import { OrgLayout } from './layout/OrgLayout.tsx'
import { HomeRedirect } from './pages/HomeRedirect.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { OrgPickerPage } from './pages/OrgPickerPage.tsx'
import { RunsPage } from './pages/RunsPage.tsx'
import { SignInPage } from './pages/SignInPage.tsx'
import { WorkflowsPage } from './pages/WorkflowsPage.tsx'

/**
 * Routes:
 *   /sign-in
 *   /                                   → last or only organisation, else /orgs
 *   /orgs                               organisation picker
 *   /orgs/:orgId/workflows              workflows list (?project=&q=&status=)
 *   /orgs/:orgId/workflows/:workflowId  editor (?tab=code)
 *   /orgs/:orgId/runs                   runs list (?status=&workflowId=&projectId=&from=&to=&clientId=)
 *   /orgs/:orgId/runs/:runId            run detail
 *   /orgs/:orgId/steps                  workstream steps (enrichment registry)
 *   /orgs/:orgId/batches                batches (?status=&workstreamSlug=&clientId=)
 *   /orgs/:orgId/batches/:batchId       batch detail
 *   /orgs/:orgId/clients                clients and their step configs
 */
export const routes = [
  { path: '/sign-in', element: <SignInPage /> },
  {
    path: '/',
    element: <RequireSession />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'orgs', element: <OrgPickerPage /> },
      {
        path: 'orgs/:orgId',
        element: <OrgLayout />,
        children: [
          { index: true, element: <Navigate to="workflows" replace /> },
          { path: 'workflows', element: <WorkflowsPage /> },
          // The canvas pages carry React Flow, the forms and the definition package: loaded on demand.
          { path: 'workflows/:workflowId', lazy: async () => ({ Component: (await import('./pages/EditorPage.tsx')).EditorPage }) },
          { path: 'runs', element: <RunsPage /> },
          // Step config forms carry rjsf: loaded on demand.
          { path: 'clients', lazy: async () => ({ Component: (await import('./pages/ClientsPage.tsx')).ClientsPage }) },
          { path: 'runs/:runId', lazy: async () => ({ Component: (await import('./pages/RunDetailPage.tsx')).RunDetailPage }) },
          { path: 'steps', lazy: async () => ({ Component: (await import('./pages/WorkstreamStepsPage.tsx')).WorkstreamStepsPage }) },
          // Batches carry the CSV parser: loaded on demand.
          { path: 'batches', lazy: async () => ({ Component: (await import('./pages/BatchesPage.tsx')).BatchesPage }) },
          { path: 'batches/:batchId', lazy: async () => ({ Component: (await import('./pages/BatchDetailPage.tsx')).BatchDetailPage }) },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]

const router = createBrowserRouter(routes)

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  )
}
