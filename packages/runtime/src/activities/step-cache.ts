import type { CacheLookupInput, CacheLookupResult, CacheStoreInput, StepActivityMeta } from '../contract.ts';

/** The two step-cache activities a worker registers (`wbCacheLookup`, `wbCacheStore`). */
export interface StepCacheActivities {
  lookup(meta: StepActivityMeta, input: CacheLookupInput): Promise<CacheLookupResult>;
  store(meta: StepActivityMeta, input: CacheStoreInput): Promise<void>;
}

/**
 * No cache (standalone exports, which have no database): every lookup misses and nothing is
 * stored, so cached nodes simply run. The platform worker registers its Postgres-backed cache.
 */
export function noStepCache(): StepCacheActivities {
  return {
    lookup: async (_meta, input) => ({ hit: false, key: input.key ?? '' }),
    store: async () => undefined,
  };
}
