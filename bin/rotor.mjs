#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader, so `npx rotor` needs no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every start that releases after January 2027 need Node 22. That is a
// note for maintainers (see README), not for each CLI run; every other warning still prints.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) {
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
  }
});

register();
await import('../src/cli/main.ts');
