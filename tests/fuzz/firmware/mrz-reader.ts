// Fuzz the mrz-reader decoder: `npx tsx tests/fuzz/firmware/mrz-reader.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('mrz-reader', process.argv.slice(2));
