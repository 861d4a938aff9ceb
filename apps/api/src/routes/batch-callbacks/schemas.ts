import { Type } from 'typebox';
import { Uuid } from '../../schemas/common.ts';

export const CallbackParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200, description: 'The token of the callbackUrl the step\'s endpoint received' }),
});

export const CallbackBody = Type.Object({
  result: Type.Optional(Type.Unknown({ description: 'The step succeeded with this result (stored in enrichment_results and merged into the next step\'s input)' })),
  error: Type.Optional(Type.Unknown({ description: 'The step failed with this message (or JSON)' })),
}, { additionalProperties: false });

export const CallbackAccepted = Type.Object({
  batchId: Uuid,
  itemId: Uuid,
  step: Type.String(),
  outcome: Type.Enum(['succeeded', 'failed']),
});
