#!/usr/bin/env node
// The integrators' command-line tool. Loads the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../kiosk/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
