/**
 * The `ai.agent` activity: one OpenAI-compatible chat completion per attempt. The endpoint and
 * API key come from a `SecretsProvider` chosen by the worker, never from the definition.
 */
import {
  STEP_FAILURE_TYPES,
  type AiAgentInput,
  type AiAgentOutput,
  type StepActivityMeta,
  type StepActivityResult,
} from '../contract.ts';
import { activitySignal, currentAttempt, stepFailure, type FetchFn } from './http-request.ts';

/** Where and how to reach the model endpoint for one step. */
export interface AiEndpoint {
  /** Base URL of an OpenAI-compatible API, e.g. `https://api.openai.com/v1` (no trailing `/chat/completions`). */
  endpoint: string;
  apiKey?: string;
  /** Extra headers (organisation ids, gateway keys). */
  headers?: Record<string, string>;
}

/** A saved prompt (`agent_prompts` row) resolved by the worker. */
export interface ResolvedPrompt {
  content: string;
}

/**
 * Supplies credentials and saved prompts to step activities. The platform worker reads project
 * settings and `agent_prompts`; a standalone worker uses {@link envSecrets}.
 */
export interface SecretsProvider {
  aiEndpoint(meta: StepActivityMeta, input: AiAgentInput): Promise<AiEndpoint | undefined> | AiEndpoint | undefined;
  /** Resolves `promptId` to prompt text; absent providers cannot run saved prompts. */
  prompt?(meta: StepActivityMeta, promptId: string): Promise<ResolvedPrompt | undefined> | ResolvedPrompt | undefined;
}

/**
 * Secrets from environment variables: `WB_AI_ENDPOINT` (or `OPENAI_BASE_URL`), `WB_AI_API_KEY`
 * (or `OPENAI_API_KEY`), and saved prompts from `WB_PROMPT_<id with - as _>`.
 *
 * @example
 * createStepActivities({ secrets: envSecrets(process.env), recordRun: consoleRecordRun() })
 */
export function envSecrets(env: Record<string, string | undefined>): SecretsProvider {
  return {
    aiEndpoint() {
      const endpoint = env['WB_AI_ENDPOINT'] ?? env['OPENAI_BASE_URL'];
      if (endpoint === undefined || endpoint === '') return undefined;
      const apiKey = env['WB_AI_API_KEY'] ?? env['OPENAI_API_KEY'];
      return apiKey === undefined ? { endpoint } : { endpoint, apiKey };
    },
    prompt(_meta, promptId) {
      const content = env[`WB_PROMPT_${promptId.replace(/-/g, '_')}`];
      return content === undefined ? undefined : { content };
    },
  };
}

/** Replaces `{{name}}` placeholders of a saved prompt with `variables` (missing ones become empty). */
export function fillPrompt(content: string, variables: Record<string, unknown> | undefined): string {
  return content.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g, (_match, name: string) => {
    const value = variables?.[name];
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

interface ChatCompletion {
  model?: string;
  choices?: Array<{ message?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** 4xx statuses worth retrying: request timeout and rate limiting. */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

/**
 * Creates the `wbAiAgent` activity.
 *
 * @example
 * const aiAgent = createAiAgentActivity({ secrets: envSecrets(process.env) })
 * await aiAgent(meta, { model: 'gpt-4o-mini', prompt: 'Say hi' }) // { output: { text: 'Hi!', usage: {...} }, attempt: 1 }
 */
export function createAiAgentActivity(options: { secrets: SecretsProvider; fetch?: FetchFn; timeoutMs?: number }) {
  const doFetch: FetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 120_000;
  return async function wbAiAgent(meta: StepActivityMeta, input: AiAgentInput): Promise<StepActivityResult<AiAgentOutput>> {
    const attempt = currentAttempt();
    const endpoint = await options.secrets.aiEndpoint(meta, input);
    if (endpoint === undefined) {
      throw stepFailure('no AI endpoint is configured for this project', STEP_FAILURE_TYPES.missingSecret, { attempt }, true);
    }
    let prompt = input.prompt;
    if (prompt === undefined && input.promptId !== undefined) {
      const saved = await options.secrets.prompt?.(meta, input.promptId);
      if (saved === undefined) {
        throw stepFailure(`saved prompt ${input.promptId} was not found`, STEP_FAILURE_TYPES.missingSecret, { attempt }, true);
      }
      prompt = fillPrompt(saved.content, input.variables);
    }
    if (prompt === undefined || prompt === '') {
      throw stepFailure('the agent has no prompt', STEP_FAILURE_TYPES.invalidInput, { attempt }, true);
    }

    const messages: Array<{ role: 'system' | 'user'; content: string }> = [];
    if (input.systemPrompt !== undefined && input.systemPrompt !== '') messages.push({ role: 'system', content: String(input.systemPrompt) });
    messages.push({ role: 'user', content: String(prompt) });
    const body = {
      model: input.model,
      messages,
      temperature: input.temperature ?? 0.7,
      max_tokens: input.maxTokens ?? 1024,
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(endpoint.headers ?? {}) };
    if (endpoint.apiKey !== undefined && endpoint.apiKey !== '') headers['authorization'] = `Bearer ${endpoint.apiKey}`;
    const url = `${endpoint.endpoint.replace(/\/+$/, '')}/chat/completions`;

    const startedAt = Date.now();
    let response: Response;
    let text: string;
    try {
      const cancelled = activitySignal();
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = cancelled === undefined ? timeout : AbortSignal.any([timeout, cancelled]);
      response = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
      text = await response.text();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw stepFailure(`model endpoint request failed: ${message}`, STEP_FAILURE_TYPES.aiAgent, { attempt }, false);
    }
    if (response.status < 200 || response.status >= 300) {
      const retryable = response.status >= 500 || RETRYABLE_CLIENT_STATUSES.has(response.status);
      throw stepFailure(`model endpoint returned status ${response.status}`, STEP_FAILURE_TYPES.aiAgent, { attempt, status: response.status, body: text.slice(0, 2_000) }, !retryable);
    }
    let completion: ChatCompletion;
    try {
      completion = JSON.parse(text) as ChatCompletion;
    } catch {
      throw stepFailure('model endpoint returned invalid JSON', STEP_FAILURE_TYPES.aiAgent, { attempt, status: response.status }, false);
    }
    const reply = completion.choices?.[0]?.message?.content;
    if (typeof reply !== 'string') {
      throw stepFailure('model endpoint returned no message', STEP_FAILURE_TYPES.aiAgent, { attempt, status: response.status }, false);
    }
    const output: AiAgentOutput = { text: reply };
    if (completion.usage !== undefined) {
      output.usage = { inputTokens: completion.usage.prompt_tokens ?? 0, outputTokens: completion.usage.completion_tokens ?? 0 };
    }
    if (typeof completion.model === 'string') output.model = completion.model;
    return {
      output,
      attempt,
      events: [{ type: 'llm', timestamp: new Date().toISOString(), data: { model: input.model, durationMs: Date.now() - startedAt, usage: output.usage ?? null } }],
    };
  };
}
