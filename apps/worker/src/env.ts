import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PLATFORM_TASK_QUEUE } from '@workflow-builder/runtime/batch-contract';
import { egressPolicyFromEnv, type EgressPolicy } from './egress.ts';

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
  /** Task queue of the platform Worker (batch orchestrator); the API must use the same. */
  platformTaskQueue: string;
  /** The API's public base URL, for async batch steps' callback URLs. */
  publicApiUrl: string;
  /** What workflows' HTTP calls may reach (WB_EGRESS_BLOCK_PRIVATE, WB_EGRESS_ALLOW_HOSTS). */
  egress: EgressPolicy;
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
    platformTaskQueue: env.WB_PLATFORM_TASK_QUEUE ?? DEFAULT_PLATFORM_TASK_QUEUE,
    publicApiUrl: env.WB_PUBLIC_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`,
    egress: egressPolicyFromEnv(env),
  };
}
