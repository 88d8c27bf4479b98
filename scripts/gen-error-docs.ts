// Writes docs/error-codes.md from the code tables (kiosk/shared/error-codes/*.ts). A unit test fails when
// the file is stale, so the tables, the docs and the ErrorCode type stay in step.
import { writeFileSync } from 'node:fs';
import { renderErrorDocs } from '../kiosk/shared/error-docs.ts';

const target = new URL('../docs/error-codes.md', import.meta.url);
writeFileSync(target, renderErrorDocs());
console.log(`wrote ${target.pathname}`);
