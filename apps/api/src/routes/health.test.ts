import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, type TestDatabase } from '@workflow-builder/devstack';
import { buildApp } from '../app.ts';
import { readEnv } from '../env.ts';

describe('GET /health', () => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase('health'); });
  afterAll(() => tdb.drop());

  const envFor = (temporalAddress: string) => readEnv({
    DATABASE_URL: tdb.api,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: process.env.WB_TEST_TEMPORAL_NAMESPACE,
  });

  it('reports Postgres and the real Temporal server as up', async () => {
    const app = await buildApp(envFor(process.env.WB_TEST_TEMPORAL_ADDRESS!), { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true, namespace: process.env.WB_TEST_TEMPORAL_NAMESPACE } });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming Temporal when it is unreachable', async () => {
    const app = await buildApp(envFor(`127.0.0.1:${await freePort()}`), { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', postgres: { ok: true }, temporal: { ok: false } });
    } finally {
      await app.close();
    }
  });
});
