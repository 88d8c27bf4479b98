import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../../../kiosk/cli/main.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('eid-kiosk CLI dispatcher', () => {
  it('--version prints the package version', async () => {
    const io = memoryIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.stdout).toEqual([pkg.version]);
  });

  it('an unknown command is a usage error with exit 2', async () => {
    const io = memoryIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr[0]).toContain('E_CLI_USAGE');
  });

  it('the installed bin runs through tsx', () => {
    const out = execFileSync(process.execPath, ['bin/eid-kiosk.js', '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(pkg.version);
  });
});
