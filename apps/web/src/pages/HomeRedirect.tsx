import { Navigate } from 'react-router'
import { useMe } from '../auth/session.tsx'

const LAST_ORG_KEY = 'wb:lastOrg'

/** Remembers the organisation last opened, to land there next time. */
export function rememberOrg(orgId: string): void {
  try {
    localStorage.setItem(LAST_ORG_KEY, orgId)
  } catch {
    // storage disabled: nothing to remember
  }
}

function lastOrg(): string | null {
  try {
    return localStorage.getItem(LAST_ORG_KEY)
  } catch {
    return null
  }
}

/** `/`: the last organisation's workflows, the only organisation's, or the picker. */
export function HomeRedirect() {
  const me = useMe()
  const remembered = lastOrg()
  const org = me.organizations.find((o) => o.id === remembered) ?? (me.organizations.length === 1 ? me.organizations[0] : undefined)
  return <Navigate to={org === undefined ? '/orgs' : `/orgs/${org.id}/workflows`} replace />
}
