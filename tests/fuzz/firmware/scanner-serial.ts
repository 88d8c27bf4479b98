// Fuzz the scanner-serial decoder: `npx tsx tests/fuzz/firmware/scanner-serial.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('scanner-serial', process.argv.slice(2));
