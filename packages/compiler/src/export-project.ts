/**
 * The full file tree of a standalone project: the compiled files plus the runtime library and
 * the definition's sandbox-safe helpers, copied as source. This module reads those sources from
 * disk (once, cached); `compileWorkflow` itself does no I/O.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CompiledWorkflow } from './compile-workflow.ts';
import {
  PROJECT_PATHS,
  renderActivitiesCode,
  renderPackageJson,
  renderStartCode,
  renderTsconfigJson,
  renderWorkerCode,
  renderWorkflowsIndex,
  workflowModulePath,
} from './project-scaffold.ts';
import { filesHash } from './sha256.ts';

// Resolved through the packages' exports (both export their sources), not through paths.
const resolve = createRequire(import.meta.url).resolve;
/** `@workflow-builder/runtime`'s `src` folder (where `contract.ts` lives). */
const RUNTIME_SRC = dirname(resolve('@workflow-builder/runtime/contract'));
/** `@workflow-builder/definition`'s `src` folder (where `index.ts` lives). */
const DEFINITION_SRC = dirname(resolve('@workflow-builder/definition'));

/**
 * Definition files the runtime's workflow library uses, copied over its re-export shims of the
 * same name (`runtime/src/workflow/<name>`). Each may import only `jsonata`.
 */
export const SHARED_DEFINITION_FILES = ['expressions.ts', 'json-values.ts', 'duration.ts'] as const;

/** Bare imports allowed in copied sources, per folder. */
const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  workflow: ['@temporalio/workflow', 'jsonata'],
  activities: ['@temporalio/activity', '@temporalio/common'],
  '.': [],
};

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** Module specifiers imported or re-exported by a source file. */
export function importedModules(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(importPattern)) found.push((match[1] ?? match[2]) as string);
  return found;
}

function assertImports(path: string, source: string, allowed: readonly string[]): void {
  for (const specifier of importedModules(source)) {
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      if (specifier.startsWith('../../')) throw new Error(`${path} imports ${specifier}, outside the copied runtime`);
      continue;
    }
    if (!allowed.includes(specifier)) throw new Error(`${path} imports ${specifier}; copied sources may import only ${allowed.join(', ') || 'relative files'}`);
  }
}

let runtimeCache: Record<string, string> | undefined;

/**
 * The runtime sources an exported project contains, keyed by path relative to the project
 * (`src/runtime/...`): `contract.ts`, `workflow/*`, `activities/*` (tests excluded), with the
 * definition's shared helpers in place of the workflow library's shims. Checks that the copies
 * import only what the sandbox (or the activity side) allows.
 */
export function runtimeSourceFiles(): Record<string, string> {
  if (runtimeCache !== undefined) return { ...runtimeCache };
  const files: Record<string, string> = {};
  const add = (folder: '.' | 'workflow' | 'activities', name: string, source: string): void => {
    const path = folder === '.' ? `${PROJECT_PATHS.runtimeDir}/${name}` : `${PROJECT_PATHS.runtimeDir}/${folder}/${name}`;
    assertImports(path, source, ALLOWED_IMPORTS[folder] ?? []);
    files[path] = source;
  };
  add('.', 'contract.ts', readFileSync(join(RUNTIME_SRC, 'contract.ts'), 'utf8'));
  for (const folder of ['workflow', 'activities'] as const) {
    const names = readdirSync(join(RUNTIME_SRC, folder))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
      .sort();
    for (const name of names) {
      const shared = folder === 'workflow' && (SHARED_DEFINITION_FILES as readonly string[]).includes(name);
      const source = readFileSync(shared ? join(DEFINITION_SRC, name) : join(RUNTIME_SRC, folder, name), 'utf8');
      add(folder, name, shared ? `// Copied from @workflow-builder/definition (src/${name}). Do not edit.\n${source}` : source);
    }
  }
  for (const name of SHARED_DEFINITION_FILES) {
    if (files[`${PROJECT_PATHS.runtimeDir}/workflow/${name}`] === undefined) throw new Error(`runtime/src/workflow/${name} (shim) is missing`);
  }
  runtimeCache = files;
  return { ...files };
}

let runtimeHashCache: string | undefined;

/**
 * Hash of `runtimeSourceFiles()` (`filesHash`): the runtime a version is compiled against, stored
 * with it (`workflow_compiled_code.runtime_hash`, snapshot in `runtime_snapshots`).
 */
export function runtimeHash(): string {
  runtimeHashCache ??= filesHash(runtimeSourceFiles());
  return runtimeHashCache;
}

/** Where a pinned runtime snapshot goes in a project tree that holds several runtimes. */
export function pinnedRuntimeDir(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a runtime hash: ${hash}`);
  return `${PROJECT_PATHS.runtimeDir}-${hash.slice(0, 16)}`;
}

/**
 * Moves a runtime snapshot (`src/runtime/...` paths, as `runtimeSourceFiles()` returns them) to
 * another folder of the project tree; its files import each other relatively, so they need no edit.
 */
export function relocateRuntime(files: Readonly<Record<string, string>>, dir: string): Record<string, string> {
  const prefix = `${PROJECT_PATHS.runtimeDir}/`;
  const out: Record<string, string> = {};
  for (const [path, content] of Object.entries(files)) {
    if (!path.startsWith(prefix)) throw new Error(`runtime snapshot file outside ${prefix}: ${path}`);
    out[`${dir}/${path.slice(prefix.length)}`] = content;
  }
  return out;
}

// Only import/export statements at the start of a line: user text is emitted as JSON literals,
// which never start a line, so data that merely looks like an import is left alone.
const runtimeImportPattern = /^((?:import|export)\s[^'";\n]*?from\s*['"]|import\s*['"])\.\.\/runtime\//gm;

/**
 * A generated workflow module (in `src/workflows/`) importing the runtime from `dir` instead of
 * `src/runtime`. The stored code is not changed; the worker rewrites it when it writes the tree.
 */
export function rebaseRuntimeImports(workflowCode: string, dir: string): string {
  const folder = dir.slice(dir.lastIndexOf('/') + 1);
  return workflowCode.replace(runtimeImportPattern, (_m, head: string) => `${head}../${folder}/`);
}

/**
 * Every file of a standalone project for one or more compiled workflows of the same project
 * (same task queue), keyed by relative path; `options.runtime` replaces the current runtime's
 * files (`src/runtime/...`) with a stored snapshot. Write it to a folder, then `npm install && npm
 * start` runs a worker; or `bundleWorkflowCode({ workflowsPath: <folder>/src/workflows.ts })`.
 *
 * @example
 * const tree = projectFiles(compileWorkflow(definition, meta))
 * for (const [path, content] of Object.entries(tree)) writeFileSync(join(dir, path), content)
 */
export function projectFiles(
  compiled: CompiledWorkflow | readonly CompiledWorkflow[],
  options: { runtime?: Readonly<Record<string, string>> } = {},
): Record<string, string> {
  const list = (Array.isArray(compiled) ? compiled : [compiled]) as readonly CompiledWorkflow[];
  const first = list[0];
  if (first === undefined) throw new Error('projectFiles needs at least one compiled workflow');
  const types = list.map((item) => item.workflowType);
  if (new Set(types).size !== types.length) throw new Error('the same workflow type appears twice');
  if (list.some((item) => item.taskQueue !== first.taskQueue)) throw new Error('all workflows of a project share one task queue');

  const single = list.length === 1;
  const files: Record<string, string> = {
    [PROJECT_PATHS.packageJson]: single
      ? first.files.packageJson
      : renderPackageJson('workflow-builder-project', `Workflows ${[...types].sort().join(', ')}`),
    [PROJECT_PATHS.tsconfigJson]: single ? first.files.tsconfigJson : renderTsconfigJson(),
    [PROJECT_PATHS.worker]: single ? first.files.workerCode : renderWorkerCode(first.taskQueue),
    [PROJECT_PATHS.activities]: single ? first.files.activitiesCode : renderActivitiesCode(),
    [PROJECT_PATHS.start]: renderStartCode(first.taskQueue, first.workflowType),
    [PROJECT_PATHS.workflowsIndex]: renderWorkflowsIndex(types),
    // A version's own runtime snapshot (its `runtime_hash`), else the current runtime.
    ...(options.runtime ?? runtimeSourceFiles()),
  };
  for (const item of list) files[workflowModulePath(item.workflowType)] = item.files.workflowCode;
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Hash of a whole project tree (generated code and copied runtime): a cache key for bundles,
 * together with the `@temporalio/worker` version.
 */
export function projectHash(files: Readonly<Record<string, string>>): string {
  return filesHash(files);
}
