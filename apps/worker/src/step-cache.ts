import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '@workflow-builder/db';
import type { StepCacheActivities } from '@workflow-builder/runtime/activities';

/** JSON with object keys sorted, so equal configs serialise (and hash) the same. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort().filter((k) => record[k] !== undefined);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`).join(',')}}`;
}

/** Longest key stored as given; longer ones are stored as their hash. */
const MAX_KEY = 200;

/**
 * The cache key of a step: `key:` + the given key (its hash when long), else `cfg:` + the
 * SHA-256 of the resolved config.
 *
 * @example
 * cacheKeyOf(null, { url: 'https://x', method: 'GET' }) // 'cfg:5d1c…'
 */
export function cacheKeyOf(key: string | null, config: unknown): string {
  if (key !== null) return key.length <= MAX_KEY ? `key:${key}` : `key#${createHash('sha256').update(key).digest('hex')}`;
  return `cfg:${createHash('sha256').update(stableJson(config)).digest('hex')}`;
}

/**
 * The step cache in user_workflow_cache_state, as the worker (service role): an entry is
 * (workflow, node, key), scoped to the run's organisation; expired entries are never returned
 * and are overwritten by the next store.
 *
 * @example
 * createStepActivities({ secrets, recordRun, cache: platformStepCache(db) })
 */
export function platformStepCache(db: Database): StepCacheActivities {
  return {
    async lookup(meta, input) {
      const key = cacheKeyOf(input.key, input.config);
      const found = await sql<{ value: unknown }>`
        select value from public.user_workflow_cache_state
        where org_id = ${meta.orgId} and workflow_id = ${input.workflowId} and node_id = ${input.nodeId} and cache_key = ${key}
          and (expires_at is null or expires_at > now())`.execute(db);
      const row = found.rows[0];
      return row ? { hit: true, key, output: row.value } : { hit: false, key };
    },
    async store(meta, input) {
      await sql`
        insert into public.user_workflow_cache_state (org_id, workflow_id, node_id, cache_key, value, expires_at)
        values (${meta.orgId}, ${input.workflowId}, ${input.nodeId}, ${input.key}, ${JSON.stringify(input.output ?? null)}::jsonb,
                ${input.ttlSeconds === null ? null : sql`now() + make_interval(secs => ${input.ttlSeconds})`})
        on conflict (workflow_id, node_id, cache_key)
          do update set value = excluded.value, expires_at = excluded.expires_at`.execute(db);
    },
  };
}
