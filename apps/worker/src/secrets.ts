import { sql } from 'kysely';
import { SecretBox, type Database } from '@workflow-builder/db';
import type { AiEndpoint, ResolvedPrompt, SecretsProvider } from '@workflow-builder/runtime/activities';

/** Name of the project secret holding the AI endpoint's API key. */
export const AI_API_KEY_SECRET = 'ai_api_key';

interface ProjectAiSettings { ai?: { endpoint?: string; headers?: Record<string, string> } }

/**
 * Credentials and saved prompts for step activities, from Postgres: the AI endpoint from project
 * settings, its key from project_secrets (decrypted here, never stored in a definition or a run
 * record), and prompts from agent_prompts of the run's organisation (or public ones).
 */
export function platformSecrets(db: Database, box: SecretBox): SecretsProvider {
  return {
    async aiEndpoint(meta): Promise<AiEndpoint | undefined> {
      const row = await sql<{ settings: ProjectAiSettings; ciphertext: string | null }>`
        select p.settings, s.ciphertext from public.projects p
        left join public.project_secrets s on s.project_id = p.id and s.name = ${AI_API_KEY_SECRET}
        where p.id = ${meta.projectId} and p.org_id = ${meta.orgId}`.execute(db);
      const r = row.rows[0];
      const endpoint = r?.settings?.ai?.endpoint;
      if (!r || !endpoint) return undefined;
      const apiKey = r.ciphertext ? box.open(r.ciphertext, meta.projectId) : undefined;
      return { endpoint, ...(apiKey ? { apiKey } : {}), ...(r.settings.ai?.headers ? { headers: r.settings.ai.headers } : {}) };
    },
    async prompt(meta, promptId): Promise<ResolvedPrompt | undefined> {
      const row = await sql<{ prompt_content: string }>`
        select prompt_content from public.agent_prompts
        where id = ${promptId} and (org_id = ${meta.orgId} or visibility_id = app.visibility_id('public'))`.execute(db);
      return row.rows[0] ? { content: row.rows[0].prompt_content } : undefined;
    },
  };
}
