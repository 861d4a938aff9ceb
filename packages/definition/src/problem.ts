/**
 * Stable problem codes. The web UI keys messages and highlighting on these, so never rename one;
 * add new codes instead.
 */
export type ProblemCode =
  // structure of the JSON document (parseDefinition)
  | 'invalid_structure'
  // nodes
  | 'duplicate_node_id'
  | 'unknown_kind'
  | 'invalid_config'
  | 'invalid_cron'
  | 'invalid_timezone'
  | 'invalid_retry'
  | 'invalid_cache'
  | 'unknown_signal'
  | 'unknown_workflow'
  | 'unknown_node'
  | 'child_signal_not_allowed'
  | 'child_query_not_allowed'
  | 'unknown_query'
  // edges
  | 'duplicate_edge_id'
  | 'dangling_edge'
  | 'duplicate_edge'
  | 'unknown_handle'
  | 'missing_handle'
  | 'edge_into_trigger'
  // graph
  | 'missing_trigger'
  | 'multiple_triggers'
  | 'unreachable_node'
  | 'cycle'
  | 'unconnected_output'
  | 'unstructured_graph'
  // expressions
  | 'expression_syntax'
  | 'expression_required'
  | 'expression_unknown_step'
  | 'expression_not_upstream'
  | 'expression_outside_loop'
  | 'expression_step_lookup'
  // signals and queries declared on the definition
  | 'duplicate_signal'
  | 'duplicate_query'
  // work queues declared on the definition
  | 'duplicate_queue'
  | 'unknown_queue'
  | 'queue_consumed_twice'
  // JSON Schemas declared on the definition (input, signal parameters, query results, queue items)
  | 'invalid_pattern'

/**
 * One thing wrong with a workflow definition.
 *
 * `field` is a path relative to the edge when `edgeId` is set, else to the node when `nodeId`
 * is set, else to the definition root: `config.url`, `outputs.true`, `sourceHandle`,
 * `nodes[3].label`. An empty string means the node, edge or definition as a whole.
 *
 * @example
 * const problem: Problem = {
 *   nodeId: 'fetch',
 *   field: 'config.timeoutMs',
 *   code: 'invalid_config',
 *   message: 'must be at most 60000',
 * }
 */
export interface Problem {
  nodeId?: string
  edgeId?: string
  field: string
  code: ProblemCode
  message: string
}
