/**
 * Dialogs put the keyboard in their first field as they open, so a person can
 * type straight away (MUI alone focuses the dialog box itself). Hidden helper
 * elements (a multiline input's shadow textarea, a select's native input) and
 * disabled ones are skipped. A person who already clicked or typed into a
 * field while the dialog was still opening keeps their place: moving them
 * would send the rest of their typing into the wrong field.
 */
const FIRST_FIELD = [
  'input:not([type="hidden"]):not([disabled]):not([readonly]):not([aria-hidden="true"]):not([tabindex="-1"])',
  'textarea:not([disabled]):not([readonly]):not([aria-hidden="true"])',
  '[role="combobox"]:not([aria-disabled="true"])',
].join(', ');

export function focusFirstField(container: HTMLElement | null | undefined): void {
  if (!container) return;
  const active = container.ownerDocument.activeElement;
  if (active && active !== container && container.contains(active) && active.matches(`${FIRST_FIELD}, button`)) return;
  container.querySelector<HTMLElement>(FIRST_FIELD)?.focus();
}

/** For a MUI Dialog: `<Dialog slotProps={focusFirstFieldOnOpen}>`. */
export const focusFirstFieldOnOpen = { transition: { onEntered: (node: HTMLElement) => focusFirstField(node) } };
