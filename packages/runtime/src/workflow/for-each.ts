/**
 * Bounded-concurrency map for `flow.forEach`: at most `limit` calls in flight, results in item
 * order. Deterministic: items are started in index order as earlier ones finish.
 *
 * @example
 * await forEachWithConcurrency([1, 2, 3], 2, async (n) => n * 2) // [2, 4, 6]
 */
export async function forEachWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}
