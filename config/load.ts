// Builds the kiosk's one frozen config: schema defaults ← venue profile ← config file ← overrides.
// Called by kiosk/main and the CLI only; everything else receives the frozen object.
//
// Each layer is checked on its own first, so an unknown key or a bad value is reported against the file that
// holds it (`config/kiosk.json: face.threshold: expected number, got "x"`); then the merged object is parsed
// once more (cross-field rules of the sections see the whole config) and deep-frozen.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { KioskError } from '../kiosk/shared/errors.ts';
import { configSchema } from './schema.ts';
import type { KioskConfig, KioskConfigInput } from './schema.ts';

export interface ConfigSource {
  /** A JSON config file (partial: every key has a default). */
  readonly file?: string;
  /** A venue profile name: `<profilesDir>/<profile>.json`, e.g. 'internet-cafe'. */
  readonly profile?: string;
  /** Values that win over everything else (command-line flags, tests). */
  readonly overrides?: KioskConfigInput;
  /** Where profiles live; default: config/profiles/ beside this file. */
  readonly profilesDir?: string;
}

/** config/profiles/ of this checkout. */
export const DEFAULT_PROFILES_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));

const PROFILE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** E_CONFIG_INVALID with every problem found, one line each (`<file>: <key path>: <what>`). */
export class ConfigInvalidError extends KioskError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('E_CONFIG_INVALID', issues.join('\n'));
    this.issues = issues;
  }
}

interface Layer {
  readonly label: string;
  readonly data: Record<string, unknown>;
}

type Issue = z.core.$ZodIssue;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function keyPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out === '' ? String(k) : `.${String(k)}`;
  }
  return out === '' ? '(root)' : out;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}

function issueText(issue: Issue): string[] {
  const where = keyPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `${keyPath([...issue.path, k])}: unknown key`);
    case 'invalid_type':
      return [`${where}: expected ${issue.expected}, got ${describe(issue.input)}`];
    case 'invalid_value':
      return [
        `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`,
      ];
    case 'too_small':
    case 'too_big':
      return [`${where}: ${issue.message}, got ${describe(issue.input)}`];
    default:
      return [`${where}: ${issue.message}`];
  }
}

/** True when `data` has a value at `p` (the layer set that key). */
function hasPath(data: unknown, p: readonly PropertyKey[]): boolean {
  let cur: unknown = data;
  for (const k of p) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return false;
    const rec = cur as Record<PropertyKey, unknown>;
    if (!(k in rec)) return false;
    cur = rec[k];
  }
  return true;
}

/**
 * Parses one whole config object (already merged) against the schema and returns it deep-frozen.
 * `fileLabel` names where it came from in error messages.
 */
export function parseConfig(obj: unknown, fileLabel: string): KioskConfig {
  if (!isPlainObject(obj))
    throw new ConfigInvalidError([`${fileLabel}: (root): expected an object, got ${describe(obj)}`]);
  const r = configSchema.safeParse(obj, { reportInput: true });
  if (!r.success)
    throw new ConfigInvalidError(
      r.error.issues.flatMap((i) => issueText(i).map((t) => `${fileLabel}: ${t}`)),
    );
  return deepFreeze(r.data);
}

/** Issues of one layer alone. Custom (cross-field) rules are left to the merged parse: a layer is partial. */
function layerIssues(layer: Layer): string[] {
  const r = configSchema.safeParse(layer.data, { reportInput: true });
  if (r.success) return [];
  return r.error.issues
    .filter((i) => i.code !== 'custom')
    .flatMap((i) => issueText(i).map((t) => `${layer.label}: ${t}`));
}

function readJson(file: string, label: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    throw new KioskError('E_CONFIG_UNREADABLE', `${label}: cannot read (${code})`, { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new KioskError('E_CONFIG_UNREADABLE', `${label}: not valid JSON (${(e as Error).message})`, {
      cause: e,
    });
  }
  if (!isPlainObject(data))
    throw new ConfigInvalidError([`${label}: (root): expected an object, got ${describe(data)}`]);
  return data;
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Profile names available in a profiles folder. */
export function listProfiles(profilesDir: string = DEFAULT_PROFILES_DIR): string[] {
  try {
    return readdirSync(profilesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((n) => PROFILE_NAME.test(n))
      .sort();
  } catch {
    return [];
  }
}

/** Later layers win; plain objects merge key by key, anything else (arrays, null, scalars) is replaced. */
export function mergeLayers(...layers: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      const prev = out[k];
      out[k] = isPlainObject(prev) && isPlainObject(v) ? mergeLayers(prev, v) : v;
    }
  }
  return out;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v as Record<string, unknown>)) deepFreeze(child);
  }
  return v;
}

/**
 * Loads the kiosk config: schema defaults ← `<profilesDir>/<profile>.json` ← `file` ← `overrides`.
 * Throws KioskError E_CONFIG_UNREADABLE (missing file, bad JSON, unknown profile) or E_CONFIG_INVALID
 * (a ConfigInvalidError listing every unknown key and bad value with its file and key path).
 */
export function loadConfig(source: ConfigSource = {}): KioskConfig {
  const layers: Layer[] = [];
  if (source.profile !== undefined) {
    const dir = source.profilesDir ?? DEFAULT_PROFILES_DIR;
    if (!PROFILE_NAME.test(source.profile))
      throw new ConfigInvalidError([
        `--profile: expected a profile name (lower-case letters, digits, dashes), got ${describe(source.profile)}`,
      ]);
    const file = path.join(dir, `${source.profile}.json`);
    const known = listProfiles(dir);
    if (!known.includes(source.profile))
      throw new KioskError(
        'E_CONFIG_UNREADABLE',
        `unknown profile '${source.profile}' (in ${displayPath(dir)}: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    const label = displayPath(file);
    layers.push({ label, data: { profile: source.profile, ...readJson(file, label) } });
  }
  if (source.file !== undefined) {
    const label = displayPath(source.file);
    layers.push({ label, data: readJson(source.file, label) });
  }
  if (source.overrides !== undefined) {
    if (!isPlainObject(source.overrides))
      throw new ConfigInvalidError([
        `overrides: (root): expected an object, got ${describe(source.overrides)}`,
      ]);
    layers.push({ label: 'overrides', data: source.overrides });
  }

  const issues = layers.flatMap(layerIssues);
  if (issues.length > 0) throw new ConfigInvalidError(issues);

  const merged = mergeLayers(...layers.map((l) => l.data));
  const r = configSchema.safeParse(merged, { reportInput: true });
  if (!r.success) {
    // Name the layer that set the offending key (the last one that has it), else the merged whole.
    throw new ConfigInvalidError(
      r.error.issues.flatMap((i) => {
        const owner = [...layers].reverse().find((l) => hasPath(l.data, i.path))?.label ?? 'config';
        return issueText(i).map((t) => `${owner}: ${t}`);
      }),
    );
  }
  return deepFreeze(r.data);
}
