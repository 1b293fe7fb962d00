// Builds the pages children and staff open (web chat, console) into dist/web, which the server
// serves as static files. Runs in `npm install` (prepare), before `npm start` and before the tests,
// so a clean checkout never serves stale or missing pages. No CDN: everything is bundled, and the
// CSP stays script-src 'self'.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // Preact's automatic JSX runtime for the .tsx front ends.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(root, '../dist/web'),
    emptyOutDir: true,
    // Old phones: children often write from a hand-me-down Android with an old WebView.
    target: 'es2019',
    // The preload polyfill is one more request for nothing: the pages have one entry chunk each.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    rolldownOptions: {
      input: {
        webchat: resolve(root, 'index.html'),
        console: resolve(root, 'console/index.html'),
        studio: resolve(root, 'studio/index.html'),
        reports: resolve(root, 'reports/index.html'),
      },
    },
  },
  logLevel: 'warn',
});
