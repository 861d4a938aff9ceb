import { sql, type RawBuilder } from 'kysely';
import { invalid } from './problem.ts';

/**
 * Keyset pagination. A cursor is opaque to clients: base64url of `[created_at, id]`, where
 * created_at keeps Postgres' microseconds (a JS Date would round them off and skip or repeat
 * rows). Pages are `order by created_at desc, id desc` and continue with
 * `(created_at, id) < (cursor)`.
 */
export interface Cursor {
  ts: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.ts, c.id])).toString('base64url');

/** Decodes `?cursor=`; a malformed one is a 400 on `/query/cursor`. */
export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && TS.test(value[0])
      && typeof value[1] === 'string' && UUID.test(value[1])) {
      return { ts: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw invalid('/query/cursor', 'invalid_cursor', 'is not a cursor returned by this list');
}

/** Selects `created_at` of `table` as the cursor's text form (microseconds, UTC). */
export const cursorTs = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `(created_at, id) < (cursor)` for the given columns. */
export const afterCursor = (c: Cursor, tsColumn: string, idColumn: string): RawBuilder<boolean> =>
  sql<boolean>`(${sql.ref(tsColumn)}, ${sql.ref(idColumn)}) < (${c.ts}::timestamptz, ${c.id}::uuid)`;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Turns `limit + 1` rows into a page: the extra row only says there is a next page.
 *
 * @example
 * const rows = await q.limit(limit + 1).execute();
 * return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
 */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => Cursor, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

/** `ilike` pattern for a user's search text, with `%`, `_` and `\` taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** For lists without a stable creation time (statistics): a cursor of the last id, `order by id`. */
export function decodeIdCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && UUID.test(value[0])) return value[0];
  } catch {
    // fall through
  }
  throw invalid('/query/cursor', 'invalid_cursor', 'is not a cursor returned by this list');
}

export function toIdPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: more && last ? Buffer.from(JSON.stringify([last.id])).toString('base64url') : null };
}
