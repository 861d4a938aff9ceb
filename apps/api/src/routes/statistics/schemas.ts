import { Type } from 'typebox';
import { Nullable, Page, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts';

export const ActivityStatistic = Type.Object({
  id: Uuid,
  componentId: Uuid,
  componentName: Nullable(Type.String({ description: 'Null when the component is not visible to you' })),
  workflowId: Nullable(Uuid),
  executionCount: Type.Integer(),
  successCount: Type.Integer(),
  failureCount: Type.Integer(),
  avgDurationMs: Type.Integer(),
  minDurationMs: Nullable(Type.Integer()),
  maxDurationMs: Nullable(Type.Integer()),
  lastExecutedAt: Nullable(Timestamp),
  updatedAt: Timestamp,
});

export const ListStatisticsQuery = Type.Object(
  {
    ...PageQuery,
    componentId: Type.Optional(Uuid),
    workflowId: Type.Optional(Uuid),
    scope: Type.Optional(Type.Enum(['all', 'organization', 'workflow'], {
      description: 'organization: the per-component totals (workflow_id null); workflow: per (component, workflow) rows',
    })),
  },
  { additionalProperties: false },
);
export const ActivityStatisticPage = Page(ActivityStatistic);
