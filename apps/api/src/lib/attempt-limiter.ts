import type { FastifyReply } from 'fastify';
import { ApiError } from './problem.ts';

/**
 * A fixed-window counter per key (an IP, an email), in memory and bounded in size. Used for the
 * login limits, which need two keys on one request: @fastify/rate-limit applies only one limiter
 * per request. In memory means per API process: behind several replicas each keeps its own.
 *
 * @example
 * const perEmail = new AttemptLimiter({ max: 10, windowMs: 15 * 60_000 });
 * perEmail.check(`email:${email}`, reply, '/email');
 */
export class AttemptLimiter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly capacity: number;

  constructor(opts: { max: number; windowMs: number; capacity?: number }) {
    this.max = opts.max;
    this.windowMs = opts.windowMs;
    this.capacity = opts.capacity ?? 50_000;
  }

  /** Counts an attempt for `key`; past the budget, throws 429 (with Retry-After) naming `field`. */
  check(key: string, reply: FastifyReply, field: string, what: string, now = Date.now()): void {
    let entry = this.entries.get(key);
    if (!entry || entry.resetAt <= now) {
      this.entries.delete(key);
      entry = { count: 0, resetAt: now + this.windowMs };
      // Oldest first: Map iteration order is insertion order.
      while (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
    }
    entry.count++;
    if (entry.count > this.max) {
      const retryAfter = Math.max(1, Math.ceil((entry.resetAt - now) / 1000));
      reply.header('retry-after', String(retryAfter));
      throw new ApiError(429, 'rate_limited', `too many ${what}; retry in ${retryAfter} s`, [{ field, code: 'rate_limited', message: `too many ${what}` }]);
    }
  }
}
