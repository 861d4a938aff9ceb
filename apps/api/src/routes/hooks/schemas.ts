import { Type } from 'typebox';
import { Uuid } from '../../schemas/common.ts';

export const HookParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200, description: 'The webhook token (wbh_…)' }) });

export const HookAccepted = Type.Object({
  runId: Uuid,
  temporalWorkflowId: Type.String(),
  requestId: Type.String(),
});
