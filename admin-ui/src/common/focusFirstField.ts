/**
 * Dialogs put the keyboard in their first field as they open, so a person can
 * type straight away (MUI alone focuses the dialog box itself). Hidden helper
 * elements (a multiline input's shadow textarea, a select's native input) and
 * disabled ones are skipped.
 */
const FIRST_FIELD = [
  'input:not([type="hidden"]):not([disabled]):not([readonly]):not([aria-hidden="true"]):not([tabindex="-1"])',
  'textarea:not([disabled]):not([readonly]):not([aria-hidden="true"])',
  '[role="combobox"]:not([aria-disabled="true"])',
].join(', ');

export function focusFirstField(container: HTMLElement | null | undefined): void {
  container?.querySelector<HTMLElement>(FIRST_FIELD)?.focus();
}

/** For a MUI Dialog: `<Dialog slotProps={focusFirstFieldOnOpen}>`. */
export const focusFirstFieldOnOpen = { transition: { onEntered: (node: HTMLElement) => focusFirstField(node) } };
