// The counselor and supervisor console: Preact with signals, typed against the server's schemas
// (src/console/schemas.ts). Everything a child or a colleague wrote is put on the page as text:
// JSX escapes it, and nothing here sets HTML.
import { render } from 'preact';
import { config } from 'zod/v4/core';
import { meSchema } from '../../src/console/schemas.js';
import { apiAs } from './api.js';
import { App } from './App.js';
import { followUrgentCount } from './favicon.js';
import './frames.js';
import { showLogin, start } from './state.js';
import { lang, loadWords } from './text.js';

// zod compiles object parsers with new Function when it can; the console's CSP (script-src 'self')
// forbids that, and the attempt alone would be a CSP violation report on every page load.
config({ jitless: true });
// The words first (one small request): nothing is drawn before they are there.
void loadWords().then(() => {
  document.documentElement.lang = lang;
  render(<App />, document.getElementById('root')!);
  followUrgentCount();
  apiAs(meSchema, 'GET', '/api/auth/me').then(
    (r) => start(r.user, r.csrfToken, !!r.available),
    () => showLogin(),
  );
});
