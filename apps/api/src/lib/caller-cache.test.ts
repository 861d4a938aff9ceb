import { describe, expect, it } from 'vitest';
import { CallerCache } from './caller-cache.ts';

describe('CallerCache', () => {
  const clock = () => {
    let t = 1_000;
    return { now: () => t, advance: (ms: number) => { t += ms; } };
  };

  it('keeps an entry for the TTL, or until its own expiry if sooner', () => {
    const c = clock();
    const cache = new CallerCache<string>(5_000, 10, c.now);
    cache.set('a', 'alice');
    cache.set('b', 'bob', c.now() + 1_000);
    c.advance(999);
    expect([cache.get('a'), cache.get('b')]).toEqual(['alice', 'bob']);
    c.advance(1);
    expect(cache.get('b')).toBeUndefined();
    c.advance(3_999);
    expect(cache.get('a')).toBe('alice');
    c.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond its bound', () => {
    const cache = new CallerCache<number>(5_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // b is now the least recently used
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('forgets by key and by predicate; a TTL of 0 keeps nothing', () => {
    const cache = new CallerCache<{ user: string }>(5_000, 10);
    cache.set('s1', { user: 'u1' });
    cache.set('s2', { user: 'u1' });
    cache.set('s3', { user: 'u2' });
    cache.delete('s3');
    expect(cache.get('s3')).toBeUndefined();
    cache.set('s3', { user: 'u2' });
    cache.deleteWhere((v) => v.user === 'u1');
    expect([cache.get('s1'), cache.get('s2'), cache.get('s3')]).toEqual([undefined, undefined, { user: 'u2' }]);

    const off = new CallerCache<string>(0, 10);
    off.set('a', 'alice');
    expect(off.get('a')).toBeUndefined();
    expect(off.size).toBe(0);
  });
});
