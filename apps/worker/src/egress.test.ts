import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { blockedRange, EGRESS_BLOCKED_TYPE, egressFetch, egressPolicyFromEnv } from './egress.ts';

describe('blockedRange', () => {
  it('names non-public ranges and passes public unicast', () => {
    expect(blockedRange('127.0.0.1')).toBe('loopback');
    expect(blockedRange('10.2.3.4')).toBe('private');
    expect(blockedRange('192.168.1.1')).toBe('private');
    expect(blockedRange('169.254.169.254')).toBe('linkLocal');
    expect(blockedRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(blockedRange('0.0.0.0')).toBe('unspecified');
    expect(blockedRange('::1')).toBe('loopback');
    expect(blockedRange('fd00::1')).toBe('uniqueLocal');
    expect(blockedRange('::ffff:127.0.0.1')).toBe('loopback');
    expect(blockedRange('93.184.216.34')).toBeNull();
    expect(blockedRange('2606:4700::1111')).toBeNull();
  });
});

describe('egressFetch', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.url === '/hop') {
        res.writeHead(302, { location: `http://127.0.0.1:${new URL(server.url).port}/secret` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`reached ${req.url}`);
    });
  });
  afterAll(() => server.close());

  const port = () => new URL(server.url).port;
  const refusal = async (p: Promise<unknown>) => {
    const error = await p.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe(EGRESS_BLOCKED_TYPE);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    return (error as ApplicationFailure).message;
  };

  it('is plain fetch when private networks are not blocked (the development default)', async () => {
    const res = await egressFetch(egressPolicyFromEnv({}))(`http://127.0.0.1:${port()}/x`, {});
    expect(await res.text()).toBe('reached /x');
  });

  it('refuses IP literals and names that resolve to private addresses, naming host and address', async () => {
    const guarded = egressFetch({ blockPrivateNetworks: true });
    expect(await refusal(guarded(`http://127.0.0.1:${port()}/x`, {}))).toMatch(/127\.0\.0\.1.*loopback/);
    expect(await refusal(guarded(`http://localhost:${port()}/x`, {}))).toMatch(/localhost \((127\.0\.0\.1|::1)\).*loopback/);
    expect(await refusal(guarded(`http://[::1]:${port()}/x`, {}))).toMatch(/loopback/);
  });

  it('lets allowed hosts through, but checks every redirect hop', async () => {
    const guarded = egressFetch(egressPolicyFromEnv({ WB_EGRESS_BLOCK_PRIVATE: 'true', WB_EGRESS_ALLOW_HOSTS: 'localhost' }));
    const res = await guarded(`http://localhost:${port()}/ok`, {});
    expect(await res.text()).toBe('reached /ok');
    // localhost is allowed; the redirect to the 127.0.0.1 literal is not.
    expect(await refusal(guarded(`http://localhost:${port()}/hop`, {}))).toMatch(/127\.0\.0\.1/);
  });

  it('rejects a malformed setting', () => {
    expect(() => egressPolicyFromEnv({ WB_EGRESS_BLOCK_PRIVATE: 'yes' })).toThrow(/true or false/);
  });
});
