import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { secretBoxFromEnv, withCaller } from '@workflow-builder/db';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { AI_API_KEY_SECRET } from './secrets.ts';
import { startHarness, type Harness } from './test/harness.ts';

const at = (x: number) => ({ x, y: 0 });

describe('AI agent steps take their endpoint and key from project settings, never from the definition', () => {
  let h: Harness;
  let ai: TestServer;
  beforeAll(async () => {
    h = await startHarness('secrets');
    await h.startWorkers();
    ai = await startTestServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ model: 'test-model', choices: [{ message: { role: 'assistant', content: 'Summary: fine.' } }], usage: { prompt_tokens: 12, completion_tokens: 3 } }));
    });
  });
  afterAll(async () => { await ai?.close(); await h?.close(); });

  it('resolves the saved prompt and the encrypted key at run time', async () => {
    const { box } = secretBoxFromEnv({});
    const promptId = await withCaller(h.apiDb, h.caller, async (tx) => {
      await sql`update public.projects set settings = ${JSON.stringify({ ai: { endpoint: ai.url } })}::jsonb where id = ${h.project.projectId}`.execute(tx);
      await sql`insert into public.project_secrets (org_id, project_id, name, ciphertext, created_by)
                values (${h.orgId}, ${h.project.projectId}, ${AI_API_KEY_SECRET}, ${box.seal('sk-test-secret', h.project.projectId)}, app.current_user_id())`.execute(tx);
      const r = await sql<{ id: string }>`insert into public.agent_prompts (org_id, name, version, prompt_content, created_by)
                values (${h.orgId}, 'summarise', '1', 'Summarise {{topic}} briefly.', app.current_user_id()) returning id`.execute(tx);
      return r.rows[0]!.id;
    });
    const definition: WorkflowDefinition = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'summarise', kind: 'ai.agent', label: 'Summarise', config: { promptId, variables: { topic: '{{ input.topic }}' }, model: 'test-model', temperature: 0 }, position: at(1) },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { text: '{{ steps.summarise.output.text }}' } }, position: at(2) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'summarise' }, { id: 'e2', source: 'summarise', target: 'done' }],
    };
    const wf = await h.createWorkflow('summarise-topic', definition);
    await h.deploy(wf);
    const { runId } = await h.start(wf, { topic: 'the quarter' });
    expect(await h.waitForRun(runId)).toMatchObject({ status: 'completed', output: { text: 'Summary: fine.' } });

    expect(ai.requests).toHaveLength(1);
    const request = ai.requests[0]!;
    expect(request.url).toBe('/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test-secret');
    expect(JSON.parse(request.body)).toMatchObject({ model: 'test-model', messages: [{ role: 'user', content: 'Summarise the quarter briefly.' }] });
    // The key is in no definition, compiled code or run record.
    const leaked = await sql<{ n: number }>`
      select (select count(*) from public.workflows where definition::text like '%sk-test-secret%')
           + (select count(*) from public.workflow_compiled_code where workflow_code like '%sk-test-secret%')
           + (select count(*) from public.user_workflow_run_step where input_data::text like '%sk-test-secret%' or events::text like '%sk-test-secret%') as n`.execute(h.db);
    expect(Number(leaked.rows[0]!.n)).toBe(0);
    const step = (await h.steps(runId)).find((s) => s.node_id === 'summarise')!;
    expect(step.output_data).toMatchObject({ text: 'Summary: fine.', usage: { inputTokens: 12, outputTokens: 3 } });
  });
});
