// Fuzz the hid-pos decoder: `npx tsx tests/fuzz/firmware/hid-pos.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('hid-pos', process.argv.slice(2));
