/**
 * FilterForm hides every helper text. Inputs whose hint or validation error
 * matters (amounts, currency, ids) show it again, below the field and out of
 * the layout flow so neighbouring filters stay aligned. The list gives its
 * filter rows room for it (see OrderList).
 */
export const visibleFilterHelperText = {
  position: 'relative' as const,
  '&& .MuiFormHelperText-root': {
    display: 'block',
    position: 'absolute' as const,
    top: '100%',
    left: 0,
    m: 0,
    mt: 0.25,
    whiteSpace: 'nowrap' as const,
    lineHeight: 1.2,
  },
};
