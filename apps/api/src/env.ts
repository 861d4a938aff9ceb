/** The API's configuration, read from the environment in this one place. */
export interface ApiEnv {
  port: number;
  host: string;
  /** Non-owner login role; every query runs under row-level security. */
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** Base URL of the Temporal Web UI, for links to runs. */
  temporalUiUrl: string | null;
  logLevel: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const required = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`Missing environment variable ${name}`);
    return v;
  };
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: required('DATABASE_URL'),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'workflow-builder',
    temporalUiUrl: env.TEMPORAL_UI_URL ?? null,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
