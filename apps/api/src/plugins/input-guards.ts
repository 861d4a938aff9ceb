import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../lib/problem.ts';

/**
 * Guards against input the schemas cannot express but Postgres or the runtime would choke on
 * (a 500 instead of a 400):
 *   * JSON nested deeper than MAX_JSON_DEPTH (JSON.stringify, jsonb and validators recurse);
 *   * strings or keys with NUL characters or unpaired UTF-16 surrogates (Postgres text and
 *     jsonb reject them), in the body, the query string and the path parameters;
 *   * JSON bodies that are not valid UTF-8 (decoding would replace the bytes with U+FFFD);
 *   * numbers in a JSON body that overflow to ±Infinity (`1e400`): schemas accept them as
 *     integers and JSON.stringify would store them as null.
 * Each refusal is a 400 naming the offending field.
 */

export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text, scanning brackets outside strings; stops early past `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

// eslint-disable-next-line no-control-regex
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointer of the first string or key with a NUL or an unpaired surrogate, or null. */
export function findBadText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return BAD_TEXT.test(value) ? path || '/' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = `${path}/${escapePointer(k)}`;
      if (BAD_TEXT.test(k)) return p;
      const found = findBadText(v, p);
      if (found !== null) return found;
    }
  }
  return null;
}

/** JSON pointer of the first number that is not finite (a literal like 1e400 parses to Infinity), or null. */
export function findNonFinite(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '/';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findNonFinite(v, `${path}/${escapePointer(k)}`);
      if (found !== null) return found;
    }
  }
  return null;
}

const badText = (field: string) =>
  new ApiError(400, 'validation_failed', `${field} contains a NUL character or an unpaired surrogate`, [
    { field, code: 'invalid_text', message: 'contains a NUL character or an unpaired UTF-16 surrogate' },
  ]);

export const inputGuardsPlugin = fp(async (app) => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // Bytes, decoded strictly: invalid UTF-8 is refused rather than silently replaced by U+FFFD.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, raw, done) => {
    let body: string;
    try {
      body = utf8.decode(raw as Buffer);
    } catch {
      done(new ApiError(400, 'validation_failed', 'the body is not valid UTF-8', [
        { field: '/', code: 'invalid_utf8', message: 'must be UTF-8 encoded JSON' },
      ]), undefined);
      return;
    }
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
      done(new ApiError(400, 'validation_failed', `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, [
        { field: '/', code: 'too_deep', message: `must not be nested deeper than ${MAX_JSON_DEPTH} levels` },
      ]), undefined);
      return;
    }
    parseJson(req, body, done);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    const inParams = findBadText(request.params);
    if (inParams !== null) throw badText(`/params${inParams}`);
    const inQuery = findBadText(request.query);
    if (inQuery !== null) throw badText(`/query${inQuery}`);
    const inBody = findBadText(request.body);
    if (inBody !== null) throw badText(inBody);
    const overflow = findNonFinite(request.body);
    if (overflow !== null) {
      throw new ApiError(400, 'validation_failed', `${overflow} is a number too large to represent`, [
        { field: overflow, code: 'out_of_range', message: 'is not a finite number (the literal overflows a 64-bit float)' },
      ]);
    }
  });
}, { name: 'input-guards' });
