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

  it('shares one Temporal check between concurrent probes and refreshes it after it ages', async () => {
    const app = await buildApp(envFor(process.env.WB_TEST_TEMPORAL_ADDRESS!), { logger: false });
    try {
      await app.temporal.healthy(0);
      const calls = { n: 0 };
      const service = (await app.temporal.client()).connection.workflowService;
      const original = service.describeNamespace.bind(service);
      service.describeNamespace = ((req: Parameters<typeof original>[0]) => { calls.n += 1; return original(req); }) as typeof original;
      const before = calls.n;
      const all = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'GET', url: '/health' })));
      expect(all.every((r) => r.statusCode === 200)).toBe(true);
      expect(calls.n - before).toBeLessThanOrEqual(1);
      expect(await app.temporal.healthy(0)).toBe(true);
      expect(calls.n - before).toBeGreaterThanOrEqual(1);
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
