/** Editor keyboard shortcuts, as data (the help dialog lists the same table). */

export type ShortcutAction =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'duplicate'
  | 'delete'
  | 'selectAll'
  | 'deselect'
  | 'save'
  | 'layout'
  | 'fitView'

export interface ShortcutHelp {
  readonly keys: string
  readonly description: string
}

/** What the shortcuts dialog shows ("Mod" is Ctrl, or ⌘ on a Mac). */
export const SHORTCUT_HELP: readonly ShortcutHelp[] = [
  { keys: 'Mod+S', description: 'Save' },
  { keys: 'Mod+Z', description: 'Undo' },
  { keys: 'Mod+Shift+Z or Mod+Y', description: 'Redo' },
  { keys: 'Mod+C / Mod+X / Mod+V', description: 'Copy / cut / paste nodes' },
  { keys: 'Mod+D', description: 'Duplicate selected nodes' },
  { keys: 'Mod+A', description: 'Select all' },
  { keys: 'Delete or Backspace', description: 'Delete selection' },
  { keys: 'Escape', description: 'Clear selection' },
  { keys: 'Shift+L', description: 'Auto-layout' },
  { keys: 'Shift+1', description: 'Fit view' },
  { keys: 'Shift+click or Shift+drag', description: 'Select several nodes' },
]

export interface KeyInput {
  readonly key: string
  readonly code?: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
}

/**
 * The editor action a key press means, if any. `mod` is Ctrl, or ⌘ on macOS.
 *
 * @example
 * shortcutFor({ key: 'z', ctrlKey: true, metaKey: false, shiftKey: true, altKey: false }, false) // 'redo'
 */
export function shortcutFor(event: KeyInput, isMac: boolean): ShortcutAction | undefined {
  const mod = isMac ? event.metaKey : event.ctrlKey
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
  if (event.altKey) return undefined
  if (mod) {
    switch (key) {
      case 'z':
        return event.shiftKey ? 'redo' : 'undo'
      case 'y':
        return event.shiftKey ? undefined : 'redo'
      case 'c':
        return 'copy'
      case 'x':
        return 'cut'
      case 'v':
        return 'paste'
      case 'd':
        return 'duplicate'
      case 'a':
        return 'selectAll'
      case 's':
        return 'save'
      default:
        return undefined
    }
  }
  if (event.ctrlKey || event.metaKey) return undefined
  if (key === 'Delete' || key === 'Backspace') return 'delete'
  if (key === 'Escape') return 'deselect'
  if (event.shiftKey && (key === 'l' || event.code === 'KeyL')) return 'layout'
  if (event.shiftKey && (key === '!' || key === '1' || event.code === 'Digit1')) return 'fitView'
  return undefined
}

/**
 * Whether keys typed into `target` belong to it (form fields, editable text), so canvas
 * shortcuts other than Save must not fire.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (target === null || typeof (target as Element).closest !== 'function') return false
  const element = target as HTMLElement
  if (element.isContentEditable) return true
  return element.closest('input, textarea, select, [contenteditable="true"], [role="textbox"]') !== null
}

/** Whether this browser runs on macOS (⌘ instead of Ctrl). */
export function isMacPlatform(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)
}
