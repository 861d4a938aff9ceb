import type { IconButtonProps, TemplatesType } from '@rjsf/utils'
import { TranslatableString } from '@rjsf/utils'

/** A text button for rjsf's icon buttons (the core theme expects Bootstrap glyph icons, which this app does not load). */
function TextButton({ text, title, iconType: _iconType, icon: _icon, uiSchema: _uiSchema, registry: _registry, className, ...rest }: IconButtonProps & { text: string }) {
  return (
    <button type="button" className={`small rjsf-button ${className ?? ''}`} title={title} aria-label={title} {...rest}>
      {text}
    </button>
  )
}

const t = (props: IconButtonProps, key: TranslatableString) => props.registry.translateString(key)

/** rjsf button templates with visible text and accessible names. */
export const buttonTemplates: Partial<TemplatesType['ButtonTemplates']> = {
  AddButton: (props) => <TextButton {...props} text="+ Add" title={t(props, TranslatableString.AddItemButton)} />,
  RemoveButton: (props) => <TextButton {...props} text="Remove" title={t(props, TranslatableString.RemoveButton)} />,
  MoveUpButton: (props) => <TextButton {...props} text="↑" title={t(props, TranslatableString.MoveUpButton)} />,
  MoveDownButton: (props) => <TextButton {...props} text="↓" title={t(props, TranslatableString.MoveDownButton)} />,
  CopyButton: (props) => <TextButton {...props} text="Copy" title={t(props, TranslatableString.CopyButton)} />,
  ClearButton: (props) => <TextButton {...props} text="Clear" title={t(props, TranslatableString.ClearButton)} />,
}

/** The `templates` prop shared by every form of the app. */
export const formTemplates = { ButtonTemplates: buttonTemplates }
