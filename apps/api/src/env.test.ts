import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { trustProxy } from './env.ts';

async function ipSeenWith(setting: string | undefined, forwardedFor: string): Promise<string> {
  const app = Fastify({ trustProxy: trustProxy(setting) });
  app.get('/ip', async (req) => ({ ip: req.ip }));
  const res = await app.inject({ url: '/ip', headers: { 'x-forwarded-for': forwardedFor } });
  await app.close();
  return (res.json() as { ip: string }).ip;
}

describe('TRUST_PROXY', () => {
  it('parses off, on, hop counts and address lists', () => {
    expect(trustProxy(undefined)).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('true')).toBe(true);
    expect(typeof trustProxy('1')).toBe('function');
    expect(trustProxy('10.0.0.0/8,127.0.0.1')).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('with one hop, the client is the address the proxy saw, not the proxy and not a spoofed entry', async () => {
    // A client spoofs 6.6.6.6; nginx appends the real peer 203.0.113.7 and connects from 127.0.0.1.
    expect(await ipSeenWith('1', '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    expect(await ipSeenWith(undefined, '6.6.6.6, 203.0.113.7')).toBe('127.0.0.1');
  });
});
