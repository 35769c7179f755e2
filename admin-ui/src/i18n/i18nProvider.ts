import polyglotI18nProvider from 'ra-i18n-polyglot';
import { en } from './en';

// allowMissing: server error messages are passed through translate() by
// react-admin's notifications; they must print as-is, without a
// "Missing translation" console error.
export const i18nProvider = polyglotI18nProvider(() => en, 'en', [{ locale: 'en', name: 'English' }], {
  allowMissing: true,
});
