import { describe, expect, it } from 'vitest';
import { mergeConfig, resolveTemplates } from './config.ts';
import { forEachWithConcurrency } from './for-each.ts';

const context = { input: { id: 42, name: 'Ada' }, steps: { fetch: { output: { status: 200, items: [1, 2] } } }, run: { id: 'run-1' } };

describe('config resolution', () => {
  it('merges overrides deeply, replacing arrays and keeping __proto__ as data', () => {
    const merged = mergeConfig({ headers: { a: '1' }, list: [1, 2], url: 'x' }, JSON.parse('{"headers":{"b":"2"},"list":[3],"__proto__":{"polluted":true}}'));
    expect(merged).toEqual(JSON.parse('{"headers":{"a":"1","b":"2"},"list":[3],"url":"x","__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('evaluates templates only at the expression fields', async () => {
    const resolved = await resolveTemplates(
      {
        url: 'https://x/{{ input.id }}',
        headers: { A: '{{ input.name }}', B: 'plain' },
        body: { literal: '{{ not evaluated }}' },
        items: '{{ steps.fetch.output.items }}',
      },
      ['url', 'headers.*', 'body', 'items'],
      context,
      'n1',
    );
    expect(resolved).toEqual({ url: 'https://x/42', headers: { A: 'Ada', B: 'plain' }, body: { literal: '{{ not evaluated }}' }, items: [1, 2] });
  });

  it('names the node and field when a template fails', async () => {
    await expect(resolveTemplates({ mapping: { x: '{{ $undefinedFn() }}' } }, ['mapping.*'], context, 'shape')).rejects.toThrow(/node "shape", config\.mapping\.x/);
  });
});

describe('forEachWithConcurrency', () => {
  it('keeps item order and never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await forEachWithConcurrency([5, 1, 4, 2, 3], 2, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n * 3));
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(peak).toBe(2);
    expect(await forEachWithConcurrency([], 3, async () => 1)).toEqual([]);
  });
});
