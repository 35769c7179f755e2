import { SearchInput, useTranslate, type SearchInputProps } from 'react-admin';

/** SearchInput whose placeholder (a translation key) says what the search matches. */
export function HintedSearchInput({ placeholder = 'ra.action.search', ...props }: SearchInputProps) {
  const translate = useTranslate();
  return <SearchInput {...props} placeholder={translate(placeholder)} />;
}
