import { Link } from 'react-router'

export function NotFoundPage() {
  return (
    <main className="picker-page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to your workflows</Link>
      </p>
    </main>
  )
}
