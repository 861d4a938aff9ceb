import { buildApp } from './app.ts';
import { readEnv } from './env.ts';

const env = readEnv();
const app = await buildApp(env);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void app.close().then(() => process.exit(0)); });
}
await app.listen({ port: env.port, host: env.host });
