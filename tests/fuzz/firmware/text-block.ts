// Fuzz the text-block decoder: `npx tsx tests/fuzz/firmware/text-block.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('text-block', process.argv.slice(2));
