import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../lib/problem.ts';

/**
 * Guards against input the schemas cannot express but Postgres or the runtime would choke on
 * (a 500 instead of a 400):
 *   * JSON nested deeper than MAX_JSON_DEPTH (JSON.stringify, jsonb and validators recurse);
 *   * strings or keys with NUL characters or unpaired UTF-16 surrogates (Postgres text and
 *     jsonb reject them), in the body, the query string and the path parameters.
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

const badText = (field: string) =>
  new ApiError(400, 'validation_failed', `${field} contains a NUL character or an unpaired surrogate`, [
    { field, code: 'invalid_text', message: 'contains a NUL character or an unpaired UTF-16 surrogate' },
  ]);

export const inputGuardsPlugin = fp(async (app) => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
      done(new ApiError(400, 'validation_failed', `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, [
        { field: '/', code: 'too_deep', message: `must not be nested deeper than ${MAX_JSON_DEPTH} levels` },
      ]), undefined);
      return;
    }
    parseJson(req, body as string, done);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    const inParams = findBadText(request.params);
    if (inParams !== null) throw badText(`/params${inParams}`);
    const inQuery = findBadText(request.query);
    if (inQuery !== null) throw badText(`/query${inQuery}`);
    const inBody = findBadText(request.body);
    if (inBody !== null) throw badText(inBody);
  });
}, { name: 'input-guards' });
