// What each venue profile implements; kiosk/venues/index.ts wraps it with the base policy, the decision log,
// the attendant API and retention.
import type { ActionResult, Decision, IdentityDocument } from '../core/types.ts';
import type { VenueDb } from './state.ts';
import type { ActInput, DecideInput, VenueConfig, VenueDeps, VenueLogger } from './types.ts';

export interface ProfileContext {
  readonly config: VenueConfig;
  readonly deps: VenueDeps;
  readonly db: VenueDb;
  readonly log: VenueLogger;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface ProfileImpl {
  needsFace(document: IdentityDocument): boolean;
  /** The venue's own objection (deny or review), or undefined when its rules pass. */
  check(input: DecideInput, pseudonym: string | undefined): Decision | undefined;
  /** The venue action for a pass (or an attendant-approved pass). */
  act(input: ActInput, pseudonym: string | undefined, now: number): Promise<ActionResult>;
  settings(): Record<string, string | number | boolean>;
  /** Deletes this profile's records older than `days` per record kind; returns rows deleted. */
  purge(now: number, daysFor: (record: string) => number | undefined): Record<string, number>;
  close?(): void;
}

export const DAY_MS = 86_400_000;

export function faceByPortrait(mode: 'always' | 'when-portrait', document: IdentityDocument): boolean {
  return mode === 'always' || document.portrait !== undefined;
}
