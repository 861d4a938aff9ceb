import { Type } from 'typebox';
import { Nullable, Page, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts';

export const WorkerStatus = Type.Enum(['starting', 'running', 'stopped', 'error']);
export const Worker = Type.Object({
  id: Uuid,
  projectId: Uuid,
  workerId: Type.String(),
  taskQueueName: Type.String(),
  status: WorkerStatus,
  lastHeartbeatAt: Nullable(Timestamp),
  startedAt: Timestamp,
  stoppedAt: Nullable(Timestamp),
  errorMessage: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const ListWorkersQuery = Type.Object({ ...PageQuery, status: Type.Optional(WorkerStatus) }, { additionalProperties: false });
export const WorkerPage = Page(Worker);
