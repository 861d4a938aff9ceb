import { createHash, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';

/** sha256 of a token, as stored in app.sessions / app.api_tokens. */
export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** A new session token (the `wb_session` cookie value). */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

export const API_TOKEN_PREFIX = 'wbt_';
/** A new personal API token: `wbt_` and 43 base64url characters. */
export const newApiToken = (): string => `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
export const looksLikeApiToken = (s: string): boolean => /^wbt_[A-Za-z0-9_-]{43}$/.test(s);
export const looksLikeSessionToken = (s: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(s);

// ---------------------------------------------------------------------------
// Passwords: scrypt with a per-user salt. The database keeps sha256(derived key) and compares
// it itself (app.sign_in), so the stored value never leaves it (see the auth migration).
// ---------------------------------------------------------------------------

export interface ScryptParams {
  salt: string;
  n: number;
  r: number;
  p: number;
  keyLength: number;
}

/** Cost for new passwords (about 50 ms); stored per user so it can be raised later. */
export const DEFAULT_SCRYPT = { n: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const MAX_N = 1 << 20;

function scrypt(password: string, salt: string, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), Buffer.from(salt, 'hex'), keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The scrypt key of `password` under `params` (as returned by app.password_salt_for). */
export async function deriveKey(password: string, params: ScryptParams): Promise<Buffer> {
  if (params.n > MAX_N || (params.n & (params.n - 1)) !== 0) throw new Error('unsupported scrypt cost');
  return scrypt(password, params.salt, params.keyLength, { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r + 1024 * 1024 });
}

/** Fresh parameters (random 16-byte salt) and the derived key for a new password. */
export async function newPasswordKey(password: string): Promise<{ params: ScryptParams; key: Buffer }> {
  const params: ScryptParams = { salt: randomBytes(16).toString('hex'), ...DEFAULT_SCRYPT };
  return { params, key: await deriveKey(password, params) };
}

// ---------------------------------------------------------------------------
// Webhook tokens: `wbh_` and 43 base64url characters (32 random bytes), stored as sha256 hex in
// public.workflow_webhooks and resolved by app.webhook_caller (security definer) as anon.
// ---------------------------------------------------------------------------

export const WEBHOOK_TOKEN_PREFIX = 'wbh_';
export const newWebhookToken = (): string => `${WEBHOOK_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
export const looksLikeWebhookToken = (s: string): boolean => /^wbh_[A-Za-z0-9_-]{43}$/.test(s);
/** sha256 of a webhook token as lowercase hex (workflow_webhooks.token_hash is text). */
export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
