import { secretBoxFromEnv, type SecretBox } from '@workflow-builder/db';

/** Request budgets of one client key (an IP, or an email for sign-in) per time window. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

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
  /** Task queue of the worker's platform Worker (batch orchestrator); must match the worker's WB_PLATFORM_TASK_QUEUE. */
  platformTaskQueue: string;
  logLevel: string;
  /** `production` refuses to start without WB_SECRET_KEY. */
  nodeEnv: string;
  /** Encrypts project secrets (AES-256-GCM, WB_SECRET_KEY); the worker opens them with the same key. */
  secretBox: SecretBox;
  /** `env`: from WB_SECRET_KEY; `dev`: the fixed development key (a warning is logged). */
  secretKeySource: 'env' | 'dev';
  /** Fastify `trustProxy`: honour X-Forwarded-* (client IP for rate limits, https for Secure cookies). */
  trustProxy: boolean | string | ((address: string, hop: number) => boolean);
  /** Session lifetime. */
  sessionTtlMs: number;
  /**
   * How long this process reuses a resolved session or API token (WB_AUTH_CACHE_TTL_MS, default
   * 5000, at most 60000; 0 = look up on every request). Revocations through this process apply at
   * once; another API process may accept a revoked credential for up to this long.
   */
  authCacheTtlMs: number;
  /** How long `POST .../deploy` waits for a worker to pick the version up, unless `?wait=` says otherwise (WB_DEPLOY_WAIT_SECONDS, default 15; 0 = do not wait). */
  deployWaitMs: number;
  /** Deadline of `GET .../runs/:runId/query` (WB_RUN_QUERY_TIMEOUT_SECONDS, default 10): a query waits for a worker. */
  queryTimeoutMs: number;
  rateLimits: {
    /** Every request, per client IP. */
    global: RateLimit;
    /** Sign-in and sign-up attempts per client IP. */
    authPerIp: RateLimit;
    /** Sign-in attempts per email address. */
    signInPerEmail: RateLimit;
    /** Webhook calls per client IP (`/v1/hooks`), counted before the token is looked up. */
    webhookPerIp: RateLimit;
    /** Webhook calls per token (known or not). */
    webhookPerToken: RateLimit;
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/**
 * `true`/`false`, a hop count (`1`: trust the one proxy in front, e.g. the compose nginx, whose
 * address is not known in advance) or an address/CIDR list, as Fastify accepts.
 */
export function trustProxy(raw: string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) {
    // What Fastify does with a number (its types only take the function form).
    const hops = Number(raw);
    return (_address, hop) => hop < hops;
  }
  return raw;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const required = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`Missing environment variable ${name}`);
    return v;
  };
  const nodeEnv = env.NODE_ENV ?? 'development';
  // WB_SECRET_KEY: 64 hex characters; required in production, a fixed development key otherwise.
  const { box, isDevelopmentKey } = secretBoxFromEnv(env);
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: required('DATABASE_URL'),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'workflow-builder',
    temporalUiUrl: env.TEMPORAL_UI_URL ?? null,
    platformTaskQueue: env.WB_PLATFORM_TASK_QUEUE ?? 'wb-platform',
    logLevel: env.LOG_LEVEL ?? 'info',
    nodeEnv,
    secretBox: box,
    secretKeySource: isDevelopmentKey ? 'dev' : 'env',
    trustProxy: trustProxy(env.TRUST_PROXY),
    sessionTtlMs: positiveInt(env, 'WB_SESSION_TTL_HOURS', 24 * 30) * 3_600_000,
    authCacheTtlMs: Math.min(nonNegativeInt(env, 'WB_AUTH_CACHE_TTL_MS', 5000), 60_000),
    deployWaitMs: Math.min(nonNegativeInt(env, 'WB_DEPLOY_WAIT_SECONDS', 15), 60) * 1000,
    queryTimeoutMs: Math.min(positiveInt(env, 'WB_RUN_QUERY_TIMEOUT_SECONDS', 10), 60) * 1000,
    rateLimits: {
      global: { max: positiveInt(env, 'WB_RATE_LIMIT_MAX', 600), windowMs: 60_000 },
      authPerIp: { max: positiveInt(env, 'WB_AUTH_RATE_LIMIT_PER_IP', 30), windowMs: 15 * 60_000 },
      signInPerEmail: { max: positiveInt(env, 'WB_SIGN_IN_RATE_LIMIT_PER_EMAIL', 10), windowMs: 15 * 60_000 },
      webhookPerIp: { max: positiveInt(env, 'WB_WEBHOOK_RATE_LIMIT_PER_IP', 300), windowMs: 60_000 },
      webhookPerToken: { max: positiveInt(env, 'WB_WEBHOOK_RATE_LIMIT_PER_TOKEN', 60), windowMs: 60_000 },
    },
  };
}
