import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts project secrets at rest (AES-256-GCM). Ciphertext format: `v1:<iv>:<tag>:<data>`
 * (base64url parts); the project id is bound as additional data, so a ciphertext copied to
 * another project does not decrypt.
 *
 * @example
 * const box = secretBoxFromEnv(process.env); const c = box.seal('sk-…', projectId); box.open(c, projectId);
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes (64 hex characters)');
    this.key = key;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** A fixed key for local development and tests only; production sets WB_SECRET_KEY. */
const DEV_KEY = createHash('sha256').update('workflow-builder local development key').digest();

/** The box for `WB_SECRET_KEY` (64 hex chars), or the development key when unset outside production. */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv): { box: SecretBox; isDevelopmentKey: boolean } {
  const hex = env.WB_SECRET_KEY;
  if (hex) {
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('WB_SECRET_KEY must be 64 hex characters (32 bytes)');
    return { box: new SecretBox(Buffer.from(hex, 'hex')), isDevelopmentKey: false };
  }
  if (env.NODE_ENV === 'production') throw new Error('WB_SECRET_KEY is required in production');
  return { box: new SecretBox(DEV_KEY), isDevelopmentKey: true };
}
