import { Link } from 'react-router'
import { useMe, useSession } from '../auth/session.tsx'
import { EmptyState } from '../ui/states.tsx'

/** `/orgs`: the organisations the user belongs to, with their role in each. */
export function OrgPickerPage() {
  const me = useMe()
  const { signOut } = useSession()
  return (
    <main className="picker-page">
      <header className="picker-header">
        <h1>Choose an organisation</h1>
        <span className="muted">{me.user.email}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      {me.organizations.length === 0 ? (
        <EmptyState title="You are not a member of any organisation yet">
          <p>Ask an organisation admin to add you.</p>
        </EmptyState>
      ) : (
        <ul className="card-list" aria-label="Organisations">
          {me.organizations.map((org) => (
            <li key={org.id}>
              <Link to={`/orgs/${org.id}/workflows`} className="card-link">
                <strong>{org.name}</strong>
                <span className="muted">
                  {org.slug} · {org.role}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
