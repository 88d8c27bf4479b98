// Fuzz the relay decoder: `npx tsx tests/fuzz/firmware/relay.ts [INPUTS=1000000] [SEED=20261123]`. See harness.ts.
import { main } from './harness.ts';

main('relay', process.argv.slice(2));
