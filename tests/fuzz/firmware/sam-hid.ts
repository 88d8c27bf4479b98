// Fuzz the sam-hid decoder: `npx tsx tests/fuzz/firmware/sam-hid.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('sam-hid', process.argv.slice(2));
