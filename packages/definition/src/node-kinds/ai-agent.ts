import Type, { type Static } from 'typebox'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'
import { Expression, StringMap } from '../schema-helpers.ts'

/**
 * `ai.agent` settings. The model endpoint and API key come from project settings, never from the
 * definition.
 */
export const aiAgentConfigSchema = Type.Object(
  {
    promptId: Type.Optional(
      Type.String({ format: 'uuid', title: 'Saved prompt', description: 'Id of an `agent_prompts` row. Use this or Prompt.' }),
    ),
    prompt: Type.Optional(
      Expression({ minLength: 1, title: 'Prompt', description: 'Inline prompt text; may contain {{ }} expressions. Use this or Saved prompt.' }),
    ),
    variables: Type.Optional(
      StringMap(Expression({ title: 'Value' }), {
        title: 'Variables',
        description: 'Values for the placeholders of the saved prompt; may be {{ }} expressions.',
      }),
    ),
    model: Type.String({ minLength: 1, maxLength: 200, title: 'Model' }),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2, default: 0.7, title: 'Temperature' })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 200_000, default: 1024, title: 'Maximum output tokens' })),
    systemPrompt: Type.Optional(Expression({ title: 'System prompt', description: 'May contain {{ }} expressions.' })),
  },
  { additionalProperties: false, title: 'AI agent' },
)
/** @see aiAgentConfigSchema */
export type AiAgentConfig = Static<typeof aiAgentConfigSchema>

function checkAgent(config: AiAgentConfig): ConfigIssue[] {
  if (config.promptId !== undefined && config.prompt !== undefined) {
    return [{ field: 'config.prompt', code: 'invalid_config', message: 'set either a saved prompt or an inline prompt, not both' }]
  }
  if (config.promptId === undefined && config.prompt === undefined) {
    return [{ field: 'config.prompt', code: 'invalid_config', message: 'a saved prompt or an inline prompt is required' }]
  }
  return []
}

/** Calls the project's LLM endpoint with a prompt, from an activity. */
export const aiAgentKind: NodeKindDescriptor<AiAgentConfig> = {
  kind: 'ai.agent',
  version: 1,
  label: 'AI agent',
  description: 'Sends a saved or inline prompt to the project’s model endpoint and outputs the reply.',
  category: 'ai',
  componentType: 'agent',
  runsIn: 'activity',
  configSchema: aiAgentConfigSchema,
  outputSchema: Type.Object({
    text: Type.String(),
    usage: Type.Optional(Type.Object({ inputTokens: Type.Integer(), outputTokens: Type.Integer() })),
  }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Reply' }],
  expressionFields: ['prompt', 'systemPrompt', 'variables.*'],
  icon: 'bot',
  checkConfig: checkAgent,
}
