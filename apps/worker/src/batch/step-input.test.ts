import { describe, expect, it } from 'vitest';
import { stepInput } from './activities.ts';

describe('stepInput: what a step receives', () => {
  const blueprint = ['normalize', 'enrich', 'score'];
  const results = new Map<string, unknown>([['normalize', { name: 'acme', clean: true }], ['enrich', 42], ['score', { s: 1 }]]);

  it('is the item with the earlier steps\' results merged in, in blueprint order', () => {
    expect(stepInput({ name: 'ACME ', id: 7 }, blueprint, 'normalize', results)).toEqual({ name: 'ACME ', id: 7 });
    expect(stepInput({ name: 'ACME ', id: 7 }, blueprint, 'enrich', results)).toEqual({ name: 'acme', id: 7, clean: true });
    // A result that is not an object goes under its step's slug; later steps are not included.
    expect(stepInput({ name: 'ACME ', id: 7 }, blueprint, 'score', results)).toEqual({ name: 'acme', id: 7, clean: true, enrich: 42 });
  });

  it('skips steps without a result and wraps a non-object item', () => {
    expect(stepInput({ a: 1 }, blueprint, 'score', new Map([['enrich', { b: 2 }]]))).toEqual({ a: 1, b: 2 });
    expect(stepInput('raw', blueprint, 'enrich', new Map())).toEqual({ value: 'raw' });
  });
});
