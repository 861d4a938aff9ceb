
/** Stable error codes the API maps to HTTP statuses. */
export type EngineErrorCode =
  | 'not_found'
  | 'invalid_workflow'
  | 'workflow_archived'
  | 'workflow_paused'
  | 'not_deployed'
  | 'invalid_input'
  | 'temporal_unavailable'
  | 'forbidden'
  | 'not_running'
  /** A work queue refused an item (full, duplicate); nothing was enqueued. */
  | 'queue_rejected';

/** One offending field: a definition problem (with node/edge) or a run-input problem. */
export interface EngineProblem {
  field: string;
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
}

/** A failure the caller can act on, with the offending fields when there are any. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly problems: readonly EngineProblem[] = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
