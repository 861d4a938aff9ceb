/**
 * Attribution of workflow-side CPU by replaying the same recorded histories against bundles of
 * the project tree whose copied runtime has one thing removed (in a temp folder; the packages are
 * never touched). A patch must keep the commands identical, or replay reports non-determinism.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PROJECT_PATHS, type CompiledWorkflow } from '@workflow-builder/compiler';
import { projectFiles } from '@workflow-builder/compiler/export-project';
import { silentLogger } from './baseline.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// Same module folders as apps/worker/src/bundler.ts gives webpack.
const NODE_MODULES = [
  path.resolve(here, '../../apps/worker/node_modules'),
  path.resolve(path.dirname(require.resolve('@workflow-builder/runtime/contract')), '..', 'node_modules'),
];

export interface PatchEdit {
  file: string;
  pattern: RegExp;
  replacement: string;
  /** How many matches the stock source must have (else the patch is reported as not applicable). */
  expect: number;
}

export interface Patch {
  name: string;
  kind: 'removes a cost' | 'candidate fix' | 'probe';
  description: string;
  edits: PatchEdit[];
}

const RECORDER = `${PROJECT_PATHS.runtimeDir}/workflow/recorder.ts`;
const WORKFLOW_RUN = `${PROJECT_PATHS.runtimeDir}/workflow/workflow-run.ts`;

export const PATCHES: Patch[] = [
  {
    name: 'no-progress-sink',
    kind: 'removes a cost',
    description: 'StepRecorder without its progress-sink calls (3 per step: opened, input resolved, finished; plus 1 per run status change)',
    edits: [{ file: RECORDER, pattern: /sinks\[PROGRESS_SINK\]\.report\([^;]*\);/g, replacement: '', expect: 2 }],
  },
  {
    name: 'sync-config',
    kind: 'candidate fix',
    description: 'RunScope.step resolves a config that has no {{ }} template and no client override synchronously (no resolveConfig/resolveTemplates promises, no expression context); same result, same commands',
    edits: [
      {
        file: WORKFLOW_RUN,
        pattern: /const config = await this\.root\.resolveConfig\(nodeId, this\.context\(\)\);/g,
        replacement: 'const config = this.root.plainConfig(nodeId) ?? (await this.root.resolveConfig(nodeId, this.context()));',
        expect: 1,
      },
      {
        file: WORKFLOW_RUN,
        pattern: /\n  hasSignal\(name: string\): boolean \{/g,
        replacement: `
  /** The node's config when it has no template and no override (what resolveConfig would return), else undefined. */
  plainConfig(nodeId: string): Record<string, unknown> | undefined {
    if (Object.prototype.hasOwnProperty.call(this.overrides, nodeId)) return undefined;
    const text = JSON.stringify(this.node(nodeId).config);
    return text.includes('{{') ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  hasSignal(name: string): boolean {`,
        expect: 1,
      },
    ],
  },
  {
    name: 'probe-10-promises',
    kind: 'probe',
    description: 'adds 10 awaited Promise.resolve() per step (no commands): the replay time it adds, divided by 10 x steps, is what one promise costs in the workflow sandbox (the SDK captures a stack trace for every promise created there)',
    edits: [{
      file: WORKFLOW_RUN,
      pattern: /const step = recorder\.start\(nodeId, node\.kind, this\.iterationKey\(\)\);/g,
      replacement: 'const step = recorder.start(nodeId, node.kind, this.iterationKey());\n    for (let probe = 0; probe < 10; probe++) await Promise.resolve();',
      expect: 1,
    }],
  },
];

/** Bundles the project tree of `versions` with `patch` applied (or stock when null). */
export async function patchedBundle(versions: CompiledWorkflow[], patch: Patch | null): Promise<{ code: string } | { skipped: string }> {
  const files = projectFiles([...versions].sort((a, b) => a.workflowType.localeCompare(b.workflowType)));
  for (const edit of patch?.edits ?? []) {
    const source = files[edit.file];
    const matches = source?.match(edit.pattern)?.length ?? 0;
    if (source === undefined || matches !== edit.expect) return { skipped: `${edit.file}: expected ${edit.expect} match(es) of ${edit.pattern}, found ${matches}` };
    files[edit.file] = source.replace(edit.pattern, () => edit.replacement);
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'wb-bench-patched-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(root, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(root, PROJECT_PATHS.workflowsIndex),
      logger: silentLogger as never,
      webpackConfigHook: (config) => {
        config.resolve = config.resolve ?? {};
        config.resolve.modules = [...(config.resolve.modules ?? ['node_modules']), ...NODE_MODULES];
        return config;
      },
    });
    return { code };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
