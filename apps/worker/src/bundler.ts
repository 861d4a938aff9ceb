import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { CompiledWorkflow } from '@workflow-builder/compiler';
import { PROJECT_PATHS, workflowModulePath } from '@workflow-builder/compiler';
import { pinnedRuntimeDir, projectFiles, rebaseRuntimeImports, relocateRuntime, runtimeHash } from '@workflow-builder/compiler/export-project';

/**
 * One compiled version as stored in workflow_compiled_code, with the hash of the runtime it was
 * compiled against (`runtime_hash`; null for versions stored before runtimes were pinned).
 */
export type BundleVersion = CompiledWorkflow & { runtimeHash?: string | null };

/** Loads runtime snapshots (`runtime_snapshots.files`) by hash. */
export type RuntimeSnapshots = (hashes: string[]) => Promise<Record<string, Record<string, string>>>;

/** The runtime hash a version must be bundled with, or null when the current runtime is its own. */
function pinnedHash(v: BundleVersion): string | null {
  return v.runtimeHash && v.runtimeHash !== runtimeHash() ? v.runtimeHash : null;
}

/** The distinct snapshot hashes a set of versions needs besides the current runtime. */
export function pinnedRuntimeHashes(versions: readonly BundleVersion[]): string[] {
  return [...new Set(versions.map(pinnedHash).filter((h): h is string => h !== null))].sort();
}

/**
 * The project tree of one bundle: every version's module, the workflows index, the current
 * runtime at `src/runtime/`, and each pinned snapshot at `src/runtime-<hash16>/` with the modules
 * compiled against it importing that copy (the stored code is not changed).
 */
export function bundleTree(versions: readonly BundleVersion[], snapshots: Readonly<Record<string, Readonly<Record<string, string>>>>): Record<string, string> {
  const sorted = [...versions].sort((a, b) => a.workflowType.localeCompare(b.workflowType));
  const files = projectFiles(sorted);
  for (const hash of pinnedRuntimeHashes(sorted)) {
    const snapshot = snapshots[hash];
    if (!snapshot) throw new Error(`runtime snapshot ${hash} is missing`);
    Object.assign(files, relocateRuntime(snapshot, pinnedRuntimeDir(hash)));
  }
  for (const v of sorted) {
    const hash = pinnedHash(v);
    if (hash) files[workflowModulePath(v.workflowType)] = rebaseRuntimeImports(v.files.workflowCode, pinnedRuntimeDir(hash));
  }
  return files;
}

const require = createRequire(import.meta.url);
const SDK_VERSION = (require('@temporalio/worker/package.json') as { version: string }).version;
// Generated code resolves @temporalio/workflow, jsonata and the runtime's own dependencies
// from the platform's node_modules (the worker's and the runtime package's).
const NODE_MODULES = [
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules'),
  path.resolve(path.dirname(require.resolve('@workflow-builder/runtime/contract')), '..', 'node_modules'),
];

/**
 * Turns a project's set of compiled versions into one workflow bundle, each version on the
 * runtime it was compiled against. Bundles are cached by the hash of their versions' content and
 * runtime hashes plus the SDK version (a bundle only runs on the SDK that
 * built it), in memory and on disk, so restarts and unchanged deploys skip webpack.
 */
export class WorkflowBundler {
  private memory = new Map<string, Promise<string>>();

  /**
   * `runtimes` loads the snapshots of versions pinned to another runtime than the current one;
   * without it, such versions cannot be bundled.
   */
  constructor(
    private readonly cacheDir: string,
    private readonly log: (msg: string) => void = () => {},
    private readonly runtimes: RuntimeSnapshots = async () => ({}),
  ) {}

  /**
   * Cache key: the versions' stored content hashes and runtime hashes, the current runtime's hash
   * (computed once per process) and the SDK version. Cheap enough to run on every reconciliation.
   */
  static keyOf(versions: BundleVersion[]): string {
    const h = createHash('sha256').update(SDK_VERSION).update(runtimeHash());
    for (const v of [...versions].sort((a, b) => a.workflowType.localeCompare(b.workflowType))) {
      h.update(`\n${v.workflowType}:${v.contentHash}:${v.taskQueue}:${v.runtimeHash ?? ''}`);
    }
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
    // One project tree for all versions: the compiled modules, the workflows index and the runtimes.
    const pinned = pinnedRuntimeHashes(versions);
    const snapshots = pinned.length ? await this.runtimes(pinned) : {};
    for (const [rel, content] of Object.entries(bundleTree(versions, snapshots))) {
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
    this.log(`bundled ${versions.length} workflow version(s), ${pinned.length} pinned runtime(s), in ${Date.now() - started} ms`);
    return code;
  }
}
