/**
 * Resolved credentials (a session or API token hash → who is calling), kept for a few seconds so
 * a burst of requests does not re-run the auth lookup (a transaction of 4 statements) for each
 * one. Bounded and least-recently-used first out. This process forgets an entry as soon as it
 * revokes the credential (sign-out, DELETE /v1/auth/sessions, token deletion); other API
 * processes keep honouring it until its TTL runs out. Roles and memberships are never cached:
 * every org route checks them in its own transaction.
 */
export class CallerCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    /** 0 disables the cache. */
    readonly ttlMs: number,
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  /** Keeps `value` for the TTL, or until `notAfter` (ms epoch, e.g. the session's expiry) if sooner. */
  set(key: string, value: T, notAfter = Infinity): void {
    if (this.ttlMs <= 0) return;
    const expiresAt = Math.min(this.now() + this.ttlMs, notAfter);
    if (expiresAt <= this.now()) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry whose value matches (e.g. all sessions of one user). */
  deleteWhere(match: (value: T) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.value)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
