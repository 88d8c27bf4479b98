// Fuzz the wedge decoder: `npx tsx tests/fuzz/firmware/wedge.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('wedge', process.argv.slice(2));
