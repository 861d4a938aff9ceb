/**
 * Static check that every query on a workstream-keyed table filters by the step slug together
 * with `workstream_slug`: a step is (slug, workstream_slug), and the same slug may exist in
 * several workstreams with different workflows and configs (seeds 000/001). Two query styles
 * are scanned in TypeScript source:
 *
 * - SQL in template literals (`sql\`...\``): a statement that names a keyed table and compares
 *   one of its slug columns (`slug`, `workflow_slug`, qualified or not) must also mention the
 *   same table's `workstream_slug`.
 * - Kysely chains: `.where('e.slug', ...)`, `.on('c.workflow_slug', ...)`, `.onRef(...)` on a
 *   keyed table (known from `'enrichment_registry as e'` in the file, or named in the chain)
 *   need a `workstream_slug` reference with the same qualifier in the same chain.
 *
 * Pure (no I/O): the test feeds it file contents.
 */

/** Tables whose rows belong to a step of one workstream. */
export const WORKSTREAM_KEYED_TABLES = ['enrichment_registry', 'client_workflow_configs', 'enrichment_results', 'workflow_states'] as const;
const SLUG_COLUMNS = ['slug', 'workflow_slug'];

export interface SlugWithoutWorkstream {
  file: string;
  line: number;
  /** The offending statement or chain, shortened. */
  snippet: string;
  reason: string;
}

const TABLES = WORKSTREAM_KEYED_TABLES.join('|');

interface Span { start: number; end: number; text: string }

/** Template literals (outermost, with nested ones inside their text) and the positions of string literals, skipping comments. */
function lex(source: string): { templates: Span[]; code: string } {
  const templates: Span[] = [];
  // `code`: the source with comments blanked, so chain scanning never reads commented-out code.
  const code = source.split('');
  let i = 0;
  const n = source.length;
  const skipString = (quote: string): void => {
    i += 1;
    while (i < n && source[i] !== quote) {
      if (source[i] === '\\') i += 1;
      if (source[i] === '\n') break;
      i += 1;
    }
    i += 1;
  };
  // Reads a template starting at source[i] === '`'; nested templates inside ${ } are consumed.
  const readTemplate = (): void => {
    i += 1;
    while (i < n && source[i] !== '`') {
      if (source[i] === '\\') { i += 2; continue; }
      if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        let depth = 1;
        while (i < n && depth > 0) {
          const c = source[i]!;
          if (c === '`') { readTemplate(); continue; }
          if (c === '"' || c === "'") { skipString(c); continue; }
          if (c === '{') depth += 1;
          else if (c === '}') depth -= 1;
          i += 1;
        }
        continue;
      }
      i += 1;
    }
    i += 1;
  };
  while (i < n) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      for (let k = i; k < stop; k += 1) code[k] = ' ';
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k += 1) if (code[k] !== '\n') code[k] = ' ';
      i = stop;
    } else if (c === '"' || c === "'") {
      skipString(c);
    } else if (c === '`') {
      const start = i;
      readTemplate();
      templates.push({ start, end: i, text: source.slice(start, i) });
    } else {
      i += 1;
    }
  }
  return { templates, code: code.join('') };
}

const lineOf = (source: string, index: number): number => source.slice(0, index).split('\n').length;
const shorten = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 160);

/** Aliases (and bare names) under which keyed tables appear in SQL text. */
function sqlAliases(sqlText: string): Set<string> {
  const aliases = new Set<string>();
  const re = new RegExp(`\\b(?:from|join|update|into)\\s+(?:public\\.)?(${TABLES})\\b(?:\\s+(?:as\\s+)?(?!where\\b|on\\b|set\\b|join\\b|left\\b|inner\\b|order\\b|group\\b|limit\\b|using\\b|returning\\b|values\\b|\\()([a-z_][a-z0-9_]*))?`, 'gi');
  for (const m of sqlText.matchAll(re)) {
    aliases.add(m[1]!.toLowerCase());
    if (m[2]) aliases.add(m[2].toLowerCase());
  }
  return aliases;
}

/** Findings in SQL template literals. */
function scanSql(file: string, source: string, templates: Span[]): SlugWithoutWorkstream[] {
  const found: SlugWithoutWorkstream[] = [];
  for (const t of templates) {
    const text = t.text;
    if (!new RegExp(`\\b(${TABLES})\\b`, 'i').test(text)) continue;
    if (!/\b(select|update|delete|insert|with)\b/i.test(text)) continue;
    // Each SQL statement on its own (a template rarely holds several).
    for (const statement of text.split(';')) {
      const aliases = sqlAliases(statement);
      if (aliases.size === 0) continue;
      // A comparison on a slug column: `e.slug = `, `workflow_slug in (`, `= cwc.workflow_slug`.
      const compare = new RegExp(`(?:\\b([a-z_][a-z0-9_]*)\\.)?\\b(${SLUG_COLUMNS.join('|')})\\b(?=\\s*(?:=|<>|!=|\\bin\\b|\\bis\\b))|(?:=|<>|!=)\\s*(?:([a-z_][a-z0-9_]*)\\.)?\\b(${SLUG_COLUMNS.join('|')})\\b`, 'gi');
      for (const m of statement.matchAll(compare)) {
        const qualifier = (m[1] ?? m[3])?.toLowerCase();
        const column = m[2] ?? m[4];
        // Another table's slug (organizations.slug...) is none of this check's business.
        if (qualifier !== undefined && !aliases.has(qualifier)) continue;
        // Only predicates (where/on/and/or), not `set slug = ...`.
        const before = statement.slice(0, m.index).toLowerCase();
        const lastClause = Math.max(before.search(/\bwhere\b(?![\s\S]*\bwhere\b)/), before.search(/\bon\b(?![\s\S]*\bon\b)/));
        const lastSet = before.search(/\bset\b(?![\s\S]*\bset\b)/);
        if (lastClause < 0 || lastSet > lastClause) continue;
        const needed = qualifier === undefined
          ? /\bworkstream_slug\b/i
          : new RegExp(`(?:\\b${qualifier}\\.|(?<![.\\w]))workstream_slug\\b`, 'i');
        if (!needed.test(statement)) {
          const q = qualifier === undefined ? '' : `${qualifier}.`;
          found.push({ file, line: lineOf(source, t.start), snippet: shorten(statement), reason: `compares ${q}${column} without ${q}workstream_slug` });
          break;
        }
      }
    }
  }
  return found;
}

/** The extent of the method chain around `index` (stops at statement and argument boundaries). */
function chainAround(code: string, index: number): Span {
  let start = index;
  let depth = 0;
  while (start > 0) {
    const c = code[start - 1]!;
    if (c === ')' || c === ']') depth += 1;
    else if (c === '(' || c === '[') {
      if (depth === 0) break;
      depth -= 1;
    } else if (depth === 0 && (c === ';' || c === '{' || c === '}' || c === ',')) break;
    else if (depth === 0 && c === '>' && code[start - 2] === '=') break;
    start -= 1;
  }
  let end = index;
  depth = 0;
  while (end < code.length) {
    const c = code[end]!;
    if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth -= 1;
    } else if (depth === 0 && (c === ';' || c === ',')) break;
    end += 1;
  }
  return { start, end, text: code.slice(start, end) };
}

/** Findings in Kysely chains. */
function scanKysely(file: string, source: string, code: string): SlugWithoutWorkstream[] {
  const found: SlugWithoutWorkstream[] = [];
  // Aliases of keyed tables in this file: 'enrichment_registry as e', or the bare table name.
  const aliases = new Set<string>();
  for (const m of code.matchAll(new RegExp(`['"](${TABLES})(?:\\s+as\\s+([A-Za-z_][A-Za-z0-9_]*))?['"]`, 'g'))) {
    aliases.add(m[1]!);
    if (m[2]) aliases.add(m[2]);
  }
  if (aliases.size === 0) return found;
  const call = new RegExp(`\\.(where|on|onRef|whereRef|orWhere)\\(\\s*['"](?:([A-Za-z_][A-Za-z0-9_]*)\\.)?(${SLUG_COLUMNS.join('|')})['"]`, 'g');
  const rhs = new RegExp(`\\.(onRef|whereRef)\\(\\s*['"][^'"]+['"]\\s*,\\s*['"][^'"]+['"]\\s*,\\s*['"](?:([A-Za-z_][A-Za-z0-9_]*)\\.)?(${SLUG_COLUMNS.join('|')})['"]`, 'g');
  const seen = new Set<number>();
  for (const m of [...code.matchAll(call), ...code.matchAll(rhs)]) {
    const qualifier = m[2];
    const chain = chainAround(code, m.index!);
    if (qualifier !== undefined && !aliases.has(qualifier)) continue;
    // An unqualified column only counts when the chain itself names a keyed table.
    if (qualifier === undefined && !new RegExp(`['"](${TABLES})\\b`).test(chain.text)) continue;
    const needed = qualifier === undefined ? /['"]workstream_slug['"]/ : new RegExp(`['"]${qualifier}\\.workstream_slug['"]`);
    if (needed.test(chain.text) || seen.has(chain.start)) continue;
    seen.add(chain.start);
    found.push({ file, line: lineOf(source, m.index!), snippet: shorten(chain.text), reason: `filters ${qualifier ? `${qualifier}.` : ''}${m[3]} without ${qualifier ? `${qualifier}.` : ''}workstream_slug` });
  }
  return found;
}

/**
 * Queries in one TypeScript file that filter a workstream-keyed table by slug alone.
 *
 * @example
 * scanSource('bad.ts', "await sql`select config from client_workflow_configs where workflow_slug = ${s}`")
 * // [{ file: 'bad.ts', line: 1, reason: 'compares workflow_slug without workstream_slug', ... }]
 */
export function scanSource(file: string, source: string): SlugWithoutWorkstream[] {
  const { templates, code } = lex(source);
  return [...scanSql(file, source, templates), ...scanKysely(file, source, code)];
}
