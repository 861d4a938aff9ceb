import { useEffect, useMemo } from 'react'
import { Link, NavLink, Outlet, useNavigate, useParams } from 'react-router'
import { OrgContext } from '../auth/org-context.tsx'
import { permissionsOf, useMe, useSession } from '../auth/session.tsx'
import { rememberOrg } from '../pages/HomeRedirect.tsx'
import { EmptyState } from '../ui/states.tsx'

/** Shell of every `/orgs/:orgId/...` page: header with organisation switcher, navigation and account. */
export function OrgLayout() {
  const { orgId = '' } = useParams()
  const me = useMe()
  const { signOut } = useSession()
  const navigate = useNavigate()
  const org = me.organizations.find((o) => o.id === orgId)
  const value = useMemo(() => (org === undefined ? undefined : { org, permissions: permissionsOf(org.role) }), [org])

  useEffect(() => {
    if (org !== undefined) rememberOrg(org.id)
  }, [org])

  return (
    <div className="app-shell">
      <header className="app-header">
        <Link to="/orgs" className="brand">
          Workflow Builder
        </Link>
        {me.organizations.length > 1 ? (
          <select aria-label="Organisation" value={orgId} onChange={(event) => navigate(`/orgs/${event.target.value}/workflows`)}>
            {org === undefined && <option value={orgId}>Unknown organisation</option>}
            {me.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="org-name">{org?.name}</span>
        )}
        <nav aria-label="Main">
          <NavLink to={`/orgs/${orgId}/workflows`}>Workflows</NavLink>
          <NavLink to={`/orgs/${orgId}/runs`}>Runs</NavLink>
          <NavLink to={`/orgs/${orgId}/batches`}>Batches</NavLink>
          <NavLink to={`/orgs/${orgId}/steps`}>Workstream steps</NavLink>
          <NavLink to={`/orgs/${orgId}/clients`}>Clients</NavLink>
        </nav>
        <span className="spacer" />
        {org !== undefined && <span className="role-badge">{org.role}</span>}
        <span className="muted">{me.user.displayName ?? me.user.email}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      {value === undefined ? (
        <main className="page">
          <EmptyState title="You are not a member of this organisation">
            <Link to="/orgs">Choose another organisation</Link>
          </EmptyState>
        </main>
      ) : (
        <OrgContext.Provider value={value}>
          <Outlet />
        </OrgContext.Provider>
      )}
    </div>
  )
}
