import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const folder = new URL('./', import.meta.url);
/** Files re-exporting `@workflow-builder/definition` sources; the exported project gets copies of those. */
const SHIMS = new Set(['expressions.ts', 'json-values.ts', 'duration.ts']);

describe('the workflow library', () => {
  it('imports only @temporalio/workflow, jsonata and relative files (it runs in the Temporal sandbox)', () => {
    const files = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    expect(files).toContain('workflow-run.ts');
    for (const name of files) {
      const source = readFileSync(new URL(name, folder), 'utf8');
      const specifiers = [...source.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g)].map((match) => match[1] as string);
      for (const specifier of specifiers) {
        if (SHIMS.has(name)) {
          expect(specifier, name).toBe(`../../../definition/src/${name}`);
          continue;
        }
        const allowed = specifier === '@temporalio/workflow' || (specifier.startsWith('./') || specifier === '../contract.ts');
        expect(allowed, `${name} imports ${specifier}`).toBe(true);
      }
      expect(source, name).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|setInterval|\bfetch\(/);
    }
  });
});
