import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The batch orchestrator runs in the Temporal workflow sandbox like the generated workflows: it
 * and the batch contract it imports may use only @temporalio/workflow, the contract (types of
 * contract.ts) and nothing of Node (no I/O, no real clock or randomness outside the sandbox's).
 */
const SANDBOX_FILES: Record<string, string> = {
  'apps/worker/src/batch/workflow.ts': new URL('./workflow.ts', import.meta.url).href,
  'packages/runtime/src/batch-contract.ts': import.meta.resolve('@workflow-builder/runtime/batch-contract'),
};

const importsOf = (source: string): Array<{ specifier: string; typeOnly: boolean }> =>
  [...source.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    .map((m) => ({ specifier: (m[2] ?? m[3]) as string, typeOnly: m[1] !== undefined }));

describe('the batch orchestrator (Temporal sandbox code)', () => {
  it.each(Object.entries(SANDBOX_FILES))('%s imports only @temporalio/workflow and the batch contract, and nothing of Node', (name, url) => {
    const source = readFileSync(fileURLToPath(url), 'utf8');
    const imports = importsOf(source);
    expect(imports.length, name).toBeGreaterThan(0);
    for (const { specifier, typeOnly } of imports) {
      const allowed = specifier === '@temporalio/workflow' || specifier === '@workflow-builder/runtime/batch-contract'
        || (typeOnly && specifier === './contract.ts');
      expect(allowed, `${name} imports ${specifier}${typeOnly ? ' (types)' : ''}`).toBe(true);
    }
    expect(source, name).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b|setInterval|\bfetch\(|from\s*['"]node:/);
  });
});
