import type { ClipboardContent } from '../canvas/clipboard.ts'

// One clipboard per tab, shared by every editor, so nodes can be copied between workflows.
let content: ClipboardContent | undefined

export const readClipboard = (): ClipboardContent | undefined => content
export const writeClipboard = (next: ClipboardContent | undefined): void => {
  content = next
}
