// Fuzz the id-number decoder: `npx tsx tests/fuzz/firmware/id-number.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('id-number', process.argv.slice(2));
