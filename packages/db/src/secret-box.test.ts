import { describe, expect, it } from 'vitest';
import { SecretBox, secretBoxFromEnv } from './secret-box.ts';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('sk-live-123', 'project-a');
    expect(sealed).not.toContain('sk-live-123');
    expect(box.open(sealed, 'project-a')).toBe('sk-live-123');
    expect(box.seal('same', 'p')).not.toBe(box.seal('same', 'p'));
  });

  it('refuses a ciphertext moved to another project or tampered with', () => {
    const sealed = box.seal('secret', 'project-a');
    expect(() => box.open(sealed, 'project-b')).toThrow();
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'), 'project-a')).toThrow();
  });

  it('requires a well-formed key, and a key in production', () => {
    expect(() => secretBoxFromEnv({ WB_SECRET_KEY: 'abc' })).toThrow(/64 hex/);
    expect(() => secretBoxFromEnv({ NODE_ENV: 'production' })).toThrow(/required/);
    expect(secretBoxFromEnv({}).isDevelopmentKey).toBe(true);
  });
});
