export { WorkerManager, type ServedVersion, type WorkerManagerOptions } from './manager.ts';
export { WorkflowBundler } from './bundler.ts';
export { RunRecorder } from './recorder.ts';
export { RunReconciler, stepsFromHistory } from './reconciler.ts';
export { WorkerRegistry } from './registry.ts';
export { servedVersionsFrom } from './versions.ts';
export { platformSecrets } from './secrets.ts';
