/**
 * Egress policy for the HTTP calls builders' workflows make (the `http.request` node, async batch
 * steps). In a shared installation a workflow must not reach the platform's own network: the
 * Temporal UI and frontend, Postgres, the cloud metadata service. With `blockPrivateNetworks`,
 * every address a request connects to — after DNS resolution, on every redirect hop — must be
 * public unicast; hosts named in `allowHosts` are exempt (an internal service the operator trusts).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { currentAttempt, stepFailure, type FetchFn } from '@workflow-builder/runtime/activities';
import { STEP_FAILURE_TYPES } from '@workflow-builder/runtime/contract';

export interface EgressPolicy {
  blockPrivateNetworks: boolean;
  /** Host names (lower case, no port) that may resolve to private addresses. */
  allowHosts?: readonly string[];
}

/** `ApplicationFailure.type` of a refused request (not retried: the address will not change its kind). */
export const EGRESS_BLOCKED_TYPE = 'WbEgressBlocked';
const BLOCKED_CODE = 'WB_EGRESS_BLOCKED';
const MAX_REDIRECTS = 5;

/**
 * The ipaddr.js range of an address when it is not public unicast (loopback, private, link-local,
 * unique-local, carrier-grade NAT, reserved, multicast...), else null. IPv4-mapped IPv6 addresses
 * are judged as the IPv4 address they carry.
 *
 * @example
 * blockedRange('10.1.2.3') // 'private'
 * blockedRange('::ffff:127.0.0.1') // 'loopback'
 * blockedRange('93.184.216.34') // null
 */
export function blockedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

class EgressBlocked extends Error {
  readonly code = BLOCKED_CODE;
  constructor(readonly host: string, readonly address: string, readonly range: string) {
    super(`request to ${host} (${address}) is blocked: ${range} addresses are not reachable from workflows (WB_EGRESS_ALLOW_HOSTS lists exceptions)`);
  }
}

function hostAllowed(policy: EgressPolicy, host: string): boolean {
  return (policy.allowHosts ?? []).includes(host.toLowerCase());
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;

/** A `net.connect` lookup that resolves every address and refuses the connection if any is not public. */
function guardedLookup(policy: EgressPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const list = addresses as LookupAddress[];
      if (!hostAllowed(policy, hostname)) {
        for (const { address } of list) {
          const range = blockedRange(address);
          if (range !== null) return callback(new EgressBlocked(hostname, address, range) as unknown as NodeJS.ErrnoException);
        }
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

function blockedCause(error: unknown): EgressBlocked | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof EgressBlocked || (e as { code?: unknown }).code === BLOCKED_CODE) return e as EgressBlocked;
  }
  return null;
}

const refuse = (message: string) => stepFailure(message, EGRESS_BLOCKED_TYPE, { attempt: currentAttempt() }, true);

/**
 * `fetch` under the policy. Without `blockPrivateNetworks` it is the platform's fetch. With it,
 * redirects are followed here (so an IP-literal `Location` is checked too) and connections go
 * through {@link guardedLookup}; a refusal is a non-retryable step failure naming host and address.
 */
export function egressFetch(policy: EgressPolicy): FetchFn {
  if (!policy.blockPrivateNetworks) return (input, init) => fetch(input, init);
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(policy) as never } });
  return async (input, init) => {
    let url = new URL(input);
    let request: RequestInit = { ...init };
    for (let hop = 0; ; hop++) {
      // IP literals never reach the lookup: check them here.
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (ipaddr.isValid(literal) && !hostAllowed(policy, literal)) {
        const range = blockedRange(literal);
        if (range !== null) throw refuse(new EgressBlocked(literal, literal, range).message);
      }
      let response: Response;
      try {
        response = (await undiciFetch(url, { ...(request as object), redirect: 'manual', dispatcher } as never)) as unknown as Response;
      } catch (error) {
        const blocked = blockedCause(error);
        if (blocked) throw refuse(blocked.message);
        throw error;
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null || init.redirect === 'manual') return response;
      if (hop >= MAX_REDIRECTS) throw refuse(`more than ${MAX_REDIRECTS} redirects from ${new URL(input).origin}`);
      await response.body?.cancel().catch(() => {});
      url = new URL(location, url);
      // As fetch does: 303 (and 301/302 after a POST) continue as a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && (request.method ?? 'GET').toUpperCase() === 'POST')) {
        const headers = new Headers(request.headers);
        headers.delete('content-type');
        headers.delete('content-length');
        request = { ...request, method: 'GET', body: undefined, headers };
      }
    }
  };
}

/** The policy from WB_EGRESS_BLOCK_PRIVATE (`true`/`false`, default false) and WB_EGRESS_ALLOW_HOSTS (comma-separated). */
export function egressPolicyFromEnv(env: NodeJS.ProcessEnv): EgressPolicy {
  const flag = (env.WB_EGRESS_BLOCK_PRIVATE ?? 'false').toLowerCase();
  if (flag !== 'true' && flag !== 'false') throw new Error(`WB_EGRESS_BLOCK_PRIVATE must be true or false, got "${env.WB_EGRESS_BLOCK_PRIVATE}"`);
  const allowHosts = (env.WB_EGRESS_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  return { blockPrivateNetworks: flag === 'true', allowHosts };
}
