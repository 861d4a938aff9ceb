/**
 * Test helpers: write an exported project to a temp folder, link its dependencies from this
 * monorepo, type-check it with the TypeScript compiler API, and bundle it.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { CompileMeta } from './compile-workflow.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** `packages/runtime/node_modules`: has `@temporalio/workflow` and `jsonata` (what the bundle needs). */
export const RUNTIME_NODE_MODULES = join(here, '..', '..', 'runtime', 'node_modules');

const requireFromRuntime = createRequire(join(here, '..', '..', 'runtime', 'package.json'));
const requireFromCompiler = createRequire(join(here, '..', 'package.json'));

/** Folder of an installed package, resolved from the runtime or the compiler package. */
function packageDir(name: string): string {
  for (const require of [requireFromRuntime, requireFromCompiler]) {
    try {
      return dirname(require.resolve(`${name}/package.json`));
    } catch {
      // try the next package
    }
  }
  throw new Error(`cannot resolve ${name} from packages/runtime or packages/compiler`);
}

/** The dependencies a project's sources import (types included). */
const LINKED_PACKAGES = [
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/common',
  '@temporalio/worker',
  '@temporalio/workflow',
  'jsonata',
  '@types/node',
] as const;

/** Base compile metadata for tests. */
export const testMeta = (overrides: Partial<CompileMeta> = {}): CompileMeta => ({
  workflowId: '00000000-0000-4000-8000-000000000001',
  kebabName: 'test-flow',
  version: 1,
  displayName: 'Test flow',
  taskQueue: 'wb-test',
  ...overrides,
});

/**
 * Writes `files` into a new temp folder; with `linkDependencies`, also a `node_modules` of
 * symlinks into this monorepo's installed packages (as `npm install` would provide).
 */
export function writeProject(files: Readonly<Record<string, string>>, options: { linkDependencies?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wb-compiled-'));
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  if (options.linkDependencies === true) {
    for (const name of LINKED_PACKAGES) {
      const link = join(dir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(packageDir(name), link, 'dir');
    }
  }
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Type-checks a written project with its own `tsconfig.json`; returns formatted diagnostics
 * (empty when it type-checks).
 */
export function typecheckProject(dir: string): string[] {
  const configPath = join(dir, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (read.error !== undefined) return [ts.flattenDiagnosticMessageText(read.error.messageText, '\n')];
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, configPath);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName.slice(dir.length + 1)}:${line + 1}:${character + 1} ${message}`;
  });
}
