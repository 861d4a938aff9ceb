/**
 * The project's command line, behind the README's two commands (via scripts/bootstrap.sh):
 *   up       start the whole product on embedded defaults (npm start)
 *   test     run every test suite against real Postgres and Temporal (npm test)
 *   migrate  apply supabase/migrations to DATABASE_URL or the embedded database
 *   codegen  regenerate packages/db/src/schema.generated.ts from the migrated schema
 *   pg       start a scratch Postgres, migrate it, print its URL and wait (for hacking)
 */
import { runUp } from './lib/up.ts';
import { runTests } from './lib/test.ts';
import { runMigrate, runCodegen, runScratchPg } from './lib/db-commands.ts';

const [command = 'up', ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<number | void>> = {
  up: runUp,
  test: runTests,
  migrate: runMigrate,
  codegen: runCodegen,
  pg: runScratchPg,
};
const fn = commands[command];
if (!fn) {
  console.error(`Unknown command "${command}". Commands: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
fn(rest).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err: unknown) => { console.error(err instanceof Error ? err.stack ?? err.message : err); process.exit(1); },
);
