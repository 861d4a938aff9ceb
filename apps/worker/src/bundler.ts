import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { CompiledWorkflow } from '@workflow-builder/compiler';
import { PROJECT_PATHS } from '@workflow-builder/compiler';
import { projectFiles, projectHash, runtimeSourceFiles } from '@workflow-builder/compiler/export-project';

let runtimeHash: string | undefined;

/** One compiled workflow version as stored in workflow_compiled_code. */
export type BundleVersion = CompiledWorkflow;

const require = createRequire(import.meta.url);
const SDK_VERSION = (require('@temporalio/worker/package.json') as { version: string }).version;
// Generated code resolves @temporalio/workflow, jsonata and the runtime's own dependencies
// from the platform's node_modules (the worker's and the runtime package's).
const NODE_MODULES = [
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules'),
  path.resolve(path.dirname(require.resolve('@workflow-builder/runtime/contract')), '..', 'node_modules'),
];

/**
 * Turns a project's set of compiled versions into one workflow bundle. Bundles are cached by
 * the hash of their versions' content plus the SDK version (a bundle only runs on the SDK that
 * built it), in memory and on disk, so restarts and unchanged deploys skip webpack.
 */
export class WorkflowBundler {
  private memory = new Map<string, Promise<string>>();

  constructor(private readonly cacheDir: string, private readonly log: (msg: string) => void = () => {}) {}

  /**
   * Cache key: the versions' stored content hashes, the copied runtime's hash (computed once per
   * process) and the SDK version. Cheap enough to run on every reconciliation.
   */
  static keyOf(versions: BundleVersion[]): string {
    runtimeHash ??= projectHash(runtimeSourceFiles());
    const h = createHash('sha256').update(SDK_VERSION).update(runtimeHash);
    for (const v of [...versions].sort((a, b) => a.workflowType.localeCompare(b.workflowType))) h.update(`\n${v.workflowType}:${v.contentHash}:${v.taskQueue}`);
    return h.digest('hex').slice(0, 32);
  }

  bundle(versions: BundleVersion[]): Promise<string> {
    const key = WorkflowBundler.keyOf(versions);
    let p = this.memory.get(key);
    if (!p) {
      p = this.build(key, versions);
      p.catch(() => this.memory.delete(key));
      this.memory.set(key, p);
    }
    return p;
  }

  private async build(key: string, versions: BundleVersion[]): Promise<string> {
    const cached = path.join(this.cacheDir, 'bundles', `${key}.js`);
    const hit = await fs.readFile(cached, 'utf8').catch(() => null);
    if (hit) return hit;
    const started = Date.now();
    const root = path.join(this.cacheDir, 'sources', key);
    await fs.rm(root, { recursive: true, force: true });
    // One project tree for all versions: the compiled modules, the workflows index and the runtime.
    for (const [rel, content] of Object.entries(projectFiles([...versions].sort((a, b) => a.workflowType.localeCompare(b.workflowType))))) {
      const file = path.join(root, rel);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
    const index = path.join(root, PROJECT_PATHS.workflowsIndex);
    const { code } = await bundleWorkflowCode({
      workflowsPath: index,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
      webpackConfigHook: (config) => {
        config.resolve = config.resolve ?? {};
        config.resolve.modules = [...(config.resolve.modules ?? ['node_modules']), ...NODE_MODULES];
        return config;
      },
    });
    await fs.mkdir(path.dirname(cached), { recursive: true });
    await fs.writeFile(cached + '.tmp', code);
    await fs.rename(cached + '.tmp', cached);
    await fs.rm(root, { recursive: true, force: true });
    this.log(`bundled ${versions.length} workflow version(s) in ${Date.now() - started} ms`);
    return code;
  }
}
