// Bundles the screens for the browser (kiosk/renderer → dist/renderer) and the Electron main process and
// preload (kiosk/main/electron.ts, kiosk/preload/preload.ts → dist/electron), with esbuild.
//   npx tsx scripts/build-renderer.ts [--electron] [--outdir DIR] [--dev]
import { build } from 'esbuild';
import type { BuildOptions as EsbuildOptions } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface BuildOptions {
  /** Output folder; default <repo>/dist. */
  readonly outdir?: string;
  /** Keep names and add source maps (development). */
  readonly dev?: boolean;
}

/** dist/renderer: index.html, demo.html, styles.css, app.js, demo.js. Returns the folder. */
export async function buildRenderer(opts: BuildOptions = {}): Promise<string> {
  const out = join(opts.outdir ?? join(root, 'dist'), 'renderer');
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'kiosk/renderer/main.ts'), demo: join(root, 'kiosk/renderer/demo.ts') },
    bundle: true,
    outdir: out,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110'],
    minify: !opts.dev,
    sourcemap: opts.dev ? 'inline' : false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'demo.html', 'styles.css']) {
    await copyFile(join(root, 'kiosk/renderer', f), join(out, f));
  }
  return out;
}

/** dist/electron: main.cjs and preload.cjs (sandboxed preloads must be one CommonJS file). */
export async function buildElectron(opts: BuildOptions = {}): Promise<string> {
  const out = join(opts.outdir ?? join(root, 'dist'), 'electron');
  await mkdir(out, { recursive: true });
  const common: EsbuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ['node20'],
    sourcemap: opts.dev ? 'inline' : false,
    logLevel: 'warning',
    external: [
      'electron',
      'better-sqlite3',
      'serialport',
      '@serialport/*',
      'node-hid',
      'onnxruntime-node',
      '@u4/opencv4nodejs',
      'koffi',
      'pg-native',
      'bufferutil',
      'utf-8-validate',
      'cbor-extract',
    ],
  };
  await build({
    ...common,
    entryPoints: [join(root, 'kiosk/main/electron.ts')],
    outfile: join(out, 'main.cjs'),
    // import.meta.url has no meaning in a CJS bundle: give it the bundle's own file URL.
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  });
  await build({
    ...common,
    entryPoints: [join(root, 'kiosk/preload/preload.ts')],
    outfile: join(out, 'preload.cjs'),
  });
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--outdir');
  const opts: BuildOptions = {
    dev: args.includes('--dev'),
    ...(i >= 0 && args[i + 1] ? { outdir: resolve(args[i + 1]!) } : {}),
  };
  const r = await buildRenderer(opts);
  console.log(`renderer → ${r}`);
  if (args.includes('--electron')) console.log(`electron → ${await buildElectron(opts)}`);
}
