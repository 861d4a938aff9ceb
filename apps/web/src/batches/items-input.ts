/**
 * The items of a new batch, as typed or uploaded: a JSON array of objects or CSV text (header row,
 * then one item per row). Checked here the way the API checks them so the user sees problems
 * before sending, with a preview of what the API will store; the API's own errors are mapped back
 * to the form's fields by {@link batchProblemsByField}.
 */
import { parse as parseCsv } from 'csv-parse/browser/esm/sync'
import type { FieldError } from '../api/http.ts'

/** At most this many items per batch (the API's limit). */
export const MAX_BATCH_ITEMS = 20_000

export type ItemsCheck =
  | { ok: true; items: unknown[]; headers: string[]; preview: Array<Record<string, unknown>> }
  | { ok: false; error: string }

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The keys of the first items, in first-seen order: the preview's columns. */
function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const keys: string[] = []
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key)
  return keys
}

function sized(items: Array<Record<string, unknown>>, previewRows: number, headers?: string[]): ItemsCheck {
  if (items.length === 0) return { ok: false, error: 'the batch has no items' }
  if (items.length > MAX_BATCH_ITEMS) return { ok: false, error: `at most ${MAX_BATCH_ITEMS.toLocaleString('en')} items per batch (got ${items.length.toLocaleString('en')})` }
  const preview = items.slice(0, previewRows)
  return { ok: true, items, headers: headers ?? columnsOf(preview), preview }
}

/**
 * A JSON array of objects; the error names the first offending item (1-based, as in the preview).
 *
 * @example
 * checkJsonItems('[{"x": 1}, 2]') // { ok: false, error: 'item 2 is not a JSON object' }
 */
export function checkJsonItems(text: string, previewRows = 5): ItemsCheck {
  if (text.trim() === '') return { ok: false, error: 'paste a JSON array of objects, one per item' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (!Array.isArray(value)) return { ok: false, error: 'must be a JSON array ([ {...}, {...} ])' }
  const bad = value.findIndex((item) => !isPlainObject(item))
  if (bad >= 0) return { ok: false, error: `item ${bad + 1} is not a JSON object` }
  return sized(value as Array<Record<string, unknown>>, previewRows)
}

/**
 * CSV text parsed with the API's parser and options (headers from the first row, values are
 * strings, BOM, blank lines and surrounding spaces ignored); a malformed row is named by line.
 *
 * @example
 * checkCsvItems('name,domain\nAcme,acme.com') // { ok: true, items: [{ name: 'Acme', domain: 'acme.com' }], ... }
 */
export function checkCsvItems(text: string, previewRows = 5): ItemsCheck {
  if (text.trim() === '') return { ok: false, error: 'choose a CSV file whose first row holds the column names' }
  let rows: Array<Record<string, string>>
  let headers: string[] = []
  try {
    rows = parseCsv(text, {
      columns: (header: string[]) => {
        headers = header
        return header
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
      max_record_size: 1_000_000,
    }) as Array<Record<string, string>>
  } catch (error) {
    const line = (error as { lines?: unknown }).lines
    const reason = error instanceof Error ? error.message.replace(/^Invalid Record Length: /, '') : String(error)
    return { ok: false, error: typeof line === 'number' ? `row ${line}: ${reason}` : reason }
  }
  return sized(rows, previewRows, headers)
}

/** The new-batch form's fields an API problem can be shown next to. */
export type BatchField = 'workstreamSlug' | 'clientId' | 'blueprint' | 'items' | 'concurrency' | 'other'

/**
 * Groups the API's field errors by form field, each message saying where it points: the blueprint
 * step (`step 3: ...` for `/blueprint/2`), the item (`item 4: ...` for `/items/3`); CSV messages
 * already carry their row.
 *
 * @example
 * batchProblemsByField([{ field: '/items/3', code: 'invalid_type', message: 'each item must be a JSON object' }]).items
 * // ['item 4: each item must be a JSON object']
 */
export function batchProblemsByField(errors: readonly FieldError[]): Partial<Record<BatchField, string[]>> {
  const out: Partial<Record<BatchField, string[]>> = {}
  const push = (field: BatchField, message: string) => {
    out[field] = [...(out[field] ?? []), message]
  }
  for (const e of errors) {
    const [, head = '', index] = e.field.replace(/^\/body/, '').split('/')
    const at = index !== undefined && /^\d+$/.test(index) ? Number(index) + 1 : undefined
    switch (head) {
      case 'workstreamSlug':
      case 'clientId':
      case 'concurrency':
        push(head, e.message)
        break
      case 'blueprint':
        push('blueprint', at === undefined ? e.message : `step ${at}: ${e.message}`)
        break
      case 'items':
      case 'csv':
        push('items', at === undefined ? e.message : `item ${at}: ${e.message}`)
        break
      default:
        push('other', e.field === '' ? e.message : `${e.field}: ${e.message}`)
    }
  }
  return out
}
