/**
 * Vite build of the onboarding console: `npx vite build --config src/wizard/vite.config.ts` writes
 * `dist/wizard/`. No React plugin is needed: Vite 8 transforms TSX itself (Oxc), told here to use
 * React's automatic JSX runtime.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the console server serves the bundle from any path.
  base: './',
  // Production React whatever NODE_ENV the caller runs under (vitest sets it to `test`).
  mode: 'production',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  logLevel: 'warn',
  // development: false pairs with the production React above (jsxDEV exists only in dev builds).
  oxc: { jsx: { runtime: 'automatic', development: false } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/wizard', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // Cloudscape marks its modules 'use client' (a server-components hint); meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
