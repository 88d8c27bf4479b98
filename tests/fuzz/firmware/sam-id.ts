// Fuzz the sam-id decoder: `npx tsx tests/fuzz/firmware/sam-id.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('sam-id', process.argv.slice(2));
