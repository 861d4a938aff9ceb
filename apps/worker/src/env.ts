import os from 'node:os';
import path from 'node:path';

/** The worker manager's configuration, read from the environment in this one place. */
export interface WorkerEnv {
  /** The worker's login role; connections switch to `service_role`. */
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** Where bundles and generated sources are cached. */
  cacheDir: string;
  pollMs: number;
  logLevel: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  if (!env.DATABASE_URL) throw new Error('Missing environment variable DATABASE_URL');
  return {
    databaseUrl: env.DATABASE_URL,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'workflow-builder',
    cacheDir: env.WB_WORKER_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'workflow-builder', 'worker'),
    pollMs: Number(env.WB_DEPLOY_POLL_MS ?? 5000),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
