import { useEffect, useState } from 'react';

interface Health {
  status: string;
  postgres: { ok: boolean };
  temporal: { ok: boolean; address: string; namespace: string };
}

/** Until the editor lands: the product's status, straight from the API. */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/api/health')
      .then(async (r) => setHealth((await r.json()) as Health))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>Workflow Builder</h1>
      {error && <p role="alert">Cannot reach the API: {error}</p>}
      {!health && !error && <p>Checking services…</p>}
      {health && (
        <ul aria-label="services">
          <li>Postgres: {health.postgres.ok ? 'up' : 'down'}</li>
          <li>Temporal ({health.temporal.namespace}): {health.temporal.ok ? 'up' : 'down'}</li>
        </ul>
      )}
    </main>
  );
}
