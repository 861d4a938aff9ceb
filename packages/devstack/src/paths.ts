import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';

/** Repository root (this file lives in packages/devstack/src). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Git-ignored runtime data of the local stack (Postgres cluster, Temporal SQLite file, logs). */
export const dataDir = process.env.WB_DATA_DIR ?? path.join(repoRoot, '.data');

/** Tools cache shared by every clone on this machine, keyed by version inside. */
export const toolsDir =
  process.env.WB_TOOLS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'workflow-builder', 'tools');

export const migrationsDir = path.join(repoRoot, 'supabase', 'migrations');
