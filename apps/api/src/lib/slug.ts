/** Slugs derived from display names. Each returns '' when nothing usable is left. */

function words(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function join(parts: string[], sep: string, max: number): string {
  let out = '';
  for (const part of parts) {
    const next = out === '' ? part : `${out}${sep}${part}`;
    if (next.length > max) {
      if (out === '') return part.slice(0, max);
      break;
    }
    out = next;
  }
  return out;
}

/**
 * A workflow kebab name (`^[a-z0-9]+(-[a-z0-9]+)*$`, at most 64 characters).
 *
 * @example
 * kebabFromName('Send Invoice (EU)') // 'send-invoice-eu'
 */
export const kebabFromName = (name: string, max = 64): string => join(words(name), '-', max);

/**
 * A project workstream slug (`^[a-z0-9][a-z0-9_]{0,99}$`).
 *
 * @example
 * workstreamSlugFromName('Lead Enrichment') // 'lead_enrichment'
 */
export const workstreamSlugFromName = (name: string): string => join(words(name), '_', 100);

/**
 * An organisation slug (`^[a-z0-9][a-z0-9-]{0,99}$`).
 *
 * @example
 * orgSlugFromName('ACME Corp.') // 'acme-corp'
 */
export const orgSlugFromName = (name: string): string => kebabFromName(name, 90) || 'org';
