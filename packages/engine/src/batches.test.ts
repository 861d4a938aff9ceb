import { describe, expect, it } from 'vitest';
import { EngineError } from './errors.ts';
import { parseCsvItems } from './batches.ts';

const problemsOf = (csv: string) => {
  try {
    parseCsvItems(csv);
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return (e as EngineError).problems;
  }
  throw new Error('parsed');
};

describe('parseCsvItems', () => {
  it('turns the header row into keys, quoted fields included', () => {
    expect(parseCsvItems('\uFEFFname, domain\r\n"Acme, Inc.",acme.com\n\n"Say ""hi""", x\n')).toEqual([
      { name: 'Acme, Inc.', domain: 'acme.com' },
      { name: 'Say "hi"', domain: 'x' },
    ]);
  });

  it('names the row of a malformed record', () => {
    expect(problemsOf('a,b\n1,2\n3\n')).toEqual([expect.objectContaining({ field: '/csv', code: 'invalid_csv', message: expect.stringMatching(/^row 3: /) })]);
    expect(problemsOf('a,b\n1,2\n"3,4\n')).toEqual([expect.objectContaining({ field: '/csv', code: 'invalid_csv' })]);
  });

  it('a header without rows gives no items', () => {
    expect(parseCsvItems('a,b\n')).toEqual([]);
  });
});
