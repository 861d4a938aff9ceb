export { WorkerManager, type ServedVersion, type WorkerManagerOptions } from './manager.ts';
export { WorkflowBundler, type BundleVersion, type RuntimeSnapshots } from './bundler.ts';
export { RunRecorder } from './recorder.ts';
export { RunReconciler, stepsFromHistory } from './reconciler.ts';
export { WorkerRegistry } from './registry.ts';
export { runtimeSnapshotsFrom, servedVersionsFrom } from './versions.ts';
export { platformSecrets } from './secrets.ts';
