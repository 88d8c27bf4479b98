// The kiosk's command-line flags (shared by start.ts and the Electron main process).
import { resolve } from 'node:path';

export interface StartArgs {
  readonly demo: boolean;
  readonly config?: string;
  readonly profile?: string;
  readonly port: number;
  readonly window: boolean;
  readonly browser: string;
}

export function parseArgs(argv: readonly string[]): StartArgs | string {
  let demo = false;
  let window = true;
  let port = 0;
  let config: string | undefined;
  let profile: string | undefined;
  let browser = '/usr/bin/chromium';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? '';
    if (a === '--demo') demo = true;
    else if (a === '--no-window') window = false;
    else if (a === '--config') config = val();
    else if (a === '--profile') profile = val();
    else if (a === '--browser') browser = val();
    else if (a === '--port') {
      port = Number(val());
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port: expected 0..65535`;
    } else return `unknown argument '${a}'`;
  }
  if (config === '' || profile === '' || browser === '') return 'a flag is missing its value';
  return {
    demo,
    window,
    port,
    browser,
    ...(config !== undefined ? { config: resolve(config) } : {}),
    ...(profile !== undefined ? { profile } : {}),
  };
}
