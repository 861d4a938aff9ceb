import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_FAILURE_TYPES, type StepActivityMeta } from '../contract.ts';
import { sendJson, startTestServer, type TestServer } from '../testing/test-server.ts';
import { createAiAgentActivity, envSecrets, fillPrompt, type SecretsProvider } from './ai-agent.ts';

const meta: StepActivityMeta = { runId: 'r1', stepNumber: 3, nodeId: 'summarize', nodeKind: 'ai.agent', orgId: 'o', projectId: 'p', recordSteps: true };

describe('wbAiAgent against a fake OpenAI-compatible server', () => {
  let server: TestServer;
  let status = 200;
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, { error: 'not found' });
      if (req.headers['authorization'] !== 'Bearer sk-test') return sendJson(res, 401, { error: 'bad key' });
      if (status !== 200) return sendJson(res, status, { error: 'nope' });
      const body = JSON.parse(req.body) as { model: string; messages: Array<{ role: string; content: string }> };
      const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
      return sendJson(res, 200, {
        id: 'chatcmpl-1',
        model: `${body.model}-2024`,
        choices: [{ index: 0, message: { role: 'assistant', content: `echo: ${user}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
      });
    });
  });
  afterAll(() => server.close());

  const secrets = (): SecretsProvider => ({
    aiEndpoint: () => ({ endpoint: `${server.url}/v1/`, apiKey: 'sk-test' }),
    prompt: (_meta, id) => (id === 'p-1' ? { content: 'Greet {{ name }} from {{city}}.' } : undefined),
  });

  it('posts model, system + user messages, temperature and max_tokens', async () => {
    const aiAgent = createAiAgentActivity({ secrets: secrets() });
    const result = await aiAgent(meta, { model: 'gpt-test', prompt: 'Say hi', systemPrompt: 'Be terse.', temperature: 0.2, maxTokens: 64 });
    expect(result.output).toEqual({ text: 'echo: Say hi', usage: { inputTokens: 12, outputTokens: 5 }, model: 'gpt-test-2024' });
    expect(result.attempt).toBe(1);
    const sent = JSON.parse(server.requests.at(-1)?.body ?? '{}') as unknown;
    expect(sent).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Say hi' },
      ],
      temperature: 0.2,
      max_tokens: 64,
    });
  });

  it('renders saved prompts with variables through the secrets provider', async () => {
    const aiAgent = createAiAgentActivity({ secrets: secrets() });
    const result = await aiAgent(meta, { model: 'm', promptId: 'p-1', variables: { name: 'Ada', city: 'London' } });
    expect(result.output.text).toBe('echo: Greet Ada from London.');
    expect(fillPrompt('{{a}}/{{ b }}/{{c}}', { a: 1, b: { x: 1 } })).toBe('1/{"x":1}/');
  });

  it('fails without an endpoint or with an unknown prompt, without retry', async () => {
    const none = createAiAgentActivity({ secrets: { aiEndpoint: () => undefined } });
    const missing = await none(meta, { model: 'm', prompt: 'x' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApplicationFailure);
    expect((missing as ApplicationFailure).type).toBe(STEP_FAILURE_TYPES.missingSecret);
    expect((missing as ApplicationFailure).nonRetryable).toBe(true);
    const unknownPrompt = await createAiAgentActivity({ secrets: secrets() })(meta, { model: 'm', promptId: 'nope' }).catch((e: unknown) => e);
    expect((unknownPrompt as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('retries rate limits and server errors, not auth errors', async () => {
    const aiAgent = createAiAgentActivity({ secrets: secrets() });
    for (const [code, nonRetryable] of [
      [429, false],
      [500, false],
      [400, true],
    ] as const) {
      status = code;
      const error = (await aiAgent(meta, { model: 'm', prompt: 'x' }).catch((e: unknown) => e)) as ApplicationFailure;
      expect(error.nonRetryable, String(code)).toBe(nonRetryable);
    }
    status = 200;
    const badKey = createAiAgentActivity({ secrets: { aiEndpoint: () => ({ endpoint: `${server.url}/v1`, apiKey: 'wrong' }) } });
    expect(((await badKey(meta, { model: 'm', prompt: 'x' }).catch((e: unknown) => e)) as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('reads endpoint, key and prompts from the environment', async () => {
    const env = envSecrets({ WB_AI_ENDPOINT: 'http://llm', OPENAI_API_KEY: 'k', 'WB_PROMPT_a_b': 'hello' });
    expect(await env.aiEndpoint(meta, { model: 'm' })).toEqual({ endpoint: 'http://llm', apiKey: 'k' });
    expect(await env.prompt?.(meta, 'a-b')).toEqual({ content: 'hello' });
    expect(await envSecrets({}).aiEndpoint(meta, { model: 'm' })).toBeUndefined();
  });
});
