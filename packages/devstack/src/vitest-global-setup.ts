import { startTestServices } from './test-services.ts';

/**
 * Vitest global setup shared by every package: reuses the Postgres/Temporal of the
 * `npm test` run when its env is present, otherwise starts throw-away ones.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const services = await startTestServices();
  for (const [k, v] of Object.entries(services.env)) process.env[k] = v;
  return services.stop;
}
