import { getNodeKind, NODE_CATEGORIES, type NodeCategory } from '@workflow-builder/definition'
import type { Component } from '../api/client.ts'

/** One addable node kind in the palette. */
export interface PaletteEntry {
  readonly kind: string
  readonly label: string
  readonly description: string
  readonly category: NodeCategory
  readonly icon: string
}

/** A palette section. */
export interface PaletteGroup {
  readonly category: NodeCategory
  readonly label: string
  readonly entries: readonly PaletteEntry[]
}

export const CATEGORY_LABELS: Readonly<Record<NodeCategory, string>> = {
  trigger: 'Triggers',
  action: 'Actions',
  logic: 'Logic',
  flow: 'Flow',
  ai: 'AI',
  output: 'Output',
}

/**
 * Palette entries from the API's component catalog: components whose name is a node kind the
 * definition package (and so the compiler) knows, newest version first, deprecated ones left
 * out. The catalog's display name and description win over the descriptor's.
 *
 * @example
 * paletteEntries(page.items).map((e) => e.kind) // ['trigger.manual', 'http.request', ...]
 */
export function paletteEntries(components: readonly Component[]): PaletteEntry[] {
  const seen = new Set<string>()
  const entries: PaletteEntry[] = []
  for (const component of components) {
    if (component.deprecated || seen.has(component.name)) continue
    const descriptor = getNodeKind(component.name)
    if (descriptor === undefined) continue
    seen.add(component.name)
    entries.push({
      kind: descriptor.kind,
      label: component.displayName ?? descriptor.label,
      description: component.description ?? descriptor.description,
      category: descriptor.category,
      icon: descriptor.icon,
    })
  }
  return entries
}

/**
 * Entries grouped by category in palette order, filtered by a case-insensitive search over
 * label, kind and description; empty groups are dropped. Entry order follows the descriptors'
 * palette order.
 *
 * @example
 * groupPalette(entries, 'http') // [{ category: 'action', label: 'Actions', entries: [HTTP request] }]
 */
export function groupPalette(entries: readonly PaletteEntry[], search = ''): PaletteGroup[] {
  const needle = search.trim().toLowerCase()
  const matches = (entry: PaletteEntry) =>
    needle === '' || [entry.label, entry.kind, entry.description].some((text) => text.toLowerCase().includes(needle))
  return NODE_CATEGORIES.map((category) => ({
    category,
    label: CATEGORY_LABELS[category],
    entries: entries.filter((entry) => entry.category === category && matches(entry)),
  })).filter((group) => group.entries.length > 0)
}
