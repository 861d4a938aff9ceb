import type { NodeKindDescriptor } from '../node-kind.ts'
import { aiAgentKind, type AiAgentConfig } from './ai-agent.ts'
import { branchIfKind, type BranchIfConfig } from './branch-if.ts'
import { branchSwitchKind, type BranchSwitchConfig } from './branch-switch.ts'
import { flowDelayKind, type FlowDelayConfig } from './flow-delay.ts'
import { flowForEachKind, type FlowForEachConfig } from './flow-for-each.ts'
import { flowJoinKind, type FlowJoinConfig } from './flow-join.ts'
import { flowParallelKind, type FlowParallelConfig } from './flow-parallel.ts'
import { httpRequestKind, type HttpRequestConfig } from './http-request.ts'
import { outputEndKind, type OutputEndConfig } from './output-end.ts'
import { queueProcessKind, type QueueProcessConfig } from './queue-processor.ts'
import { signalParentKind, type SignalParentConfig } from './signal-parent.ts'
import { queryParentKind, type QueryParentConfig } from './query-parent.ts'
import { signalWaitKind, type SignalWaitConfig } from './signal-wait.ts'
import { transformKind, type TransformConfig } from './transform.ts'
import { triggerManualKind, type TriggerManualConfig } from './trigger-manual.ts'
import { triggerScheduleKind, type TriggerScheduleConfig } from './trigger-schedule.ts'
import { triggerWebhookKind, type TriggerWebhookConfig } from './trigger-webhook.ts'
import { workflowChildKind, type WorkflowChildConfig } from './workflow-child.ts'

export * from './ai-agent.ts'
export * from './branch-if.ts'
export * from './branch-switch.ts'
export * from './flow-delay.ts'
export * from './flow-for-each.ts'
export * from './flow-join.ts'
export * from './flow-parallel.ts'
export * from './http-request.ts'
export * from './output-end.ts'
export * from './queue-processor.ts'
export * from './signal-parent.ts'
export * from './query-parent.ts'
export * from './signal-wait.ts'
export * from './transform.ts'
export * from './trigger-manual.ts'
export * from './trigger-schedule.ts'
export * from './trigger-webhook.ts'
export * from './workflow-child.ts'

/** Config type of each built-in node kind, keyed by kind id. */
export interface NodeConfigByKind {
  'trigger.manual': TriggerManualConfig
  'trigger.webhook': TriggerWebhookConfig
  'trigger.schedule': TriggerScheduleConfig
  'http.request': HttpRequestConfig
  transform: TransformConfig
  'branch.if': BranchIfConfig
  'branch.switch': BranchSwitchConfig
  'flow.parallel': FlowParallelConfig
  'flow.join': FlowJoinConfig
  'flow.forEach': FlowForEachConfig
  'flow.delay': FlowDelayConfig
  'signal.wait': SignalWaitConfig
  'queue.process': QueueProcessConfig
  'workflow.child': WorkflowChildConfig
  'signal.parent': SignalParentConfig
  'query.parent': QueryParentConfig
  'ai.agent': AiAgentConfig
  'output.end': OutputEndConfig
}

/** Id of a built-in node kind. */
export type NodeKindId = keyof NodeConfigByKind

/**
 * Every built-in node kind, in palette order.
 *
 * @example
 * const palette = nodeKinds.filter((k) => k.category === 'flow').map((k) => k.label)
 */
export const nodeKinds: readonly NodeKindDescriptor[] = [
  triggerManualKind,
  triggerWebhookKind,
  triggerScheduleKind,
  httpRequestKind,
  transformKind,
  branchIfKind,
  branchSwitchKind,
  flowParallelKind,
  flowJoinKind,
  flowForEachKind,
  flowDelayKind,
  signalWaitKind,
  queueProcessKind,
  workflowChildKind,
  signalParentKind,
  queryParentKind,
  aiAgentKind,
  outputEndKind,
]

const byKind = new Map<string, NodeKindDescriptor>(nodeKinds.map((descriptor) => [descriptor.kind, descriptor]))

/**
 * Looks up a node kind by id.
 *
 * @example
 * getNodeKind('http.request')?.runsIn // 'activity'
 * getNodeKind('nope') // undefined
 */
export function getNodeKind<Kind extends NodeKindId>(kind: Kind): NodeKindDescriptor<NodeConfigByKind[Kind]>
export function getNodeKind(kind: string): NodeKindDescriptor | undefined
export function getNodeKind(kind: string): NodeKindDescriptor | undefined {
  return byKind.get(kind)
}

/**
 * Whether `kind` is a built-in node kind id.
 *
 * @example
 * isNodeKindId('flow.join') // true
 */
export function isNodeKindId(kind: string): kind is NodeKindId {
  return byKind.has(kind)
}
