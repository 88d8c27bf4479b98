// The venue contract: what kiosk/main gives a venue (deps) and what the machine calls (decide, act).
import type { ActionResult, Decision, FaceResult, IdentityDocument } from '../core/types.ts';
import type { VenueConfig, VenueProfileName } from '../../config/schema/venue.ts';

export type { VenueConfig, VenueProfileName };

/** Input of the machine's `decide` actor. */
export interface DecideInput {
  readonly document: IdentityDocument;
  readonly face: FaceResult;
  /** epoch ms */
  readonly now: number;
}

/** Input of the machine's `act` actor. */
export interface ActInput {
  readonly decision: Decision;
  readonly document: IdentityDocument;
}

/** One passage-sensor event (someone walked through). Only the time matters here. */
export interface PassageEvent {
  readonly at?: number;
}

export interface VenueRelay {
  /** Energise the gate relay for `ms` milliseconds. Rejects when the relay is unreachable. */
  pulse(ms: number): Promise<void>;
  /** Passage-sensor events, live from the moment of the call. Absent = no sensor. */
  passage?(): AsyncIterable<PassageEvent>;
}

/** Whatever the audit engineer's sealing returns; stored as JSON (Uint8Array fields as base64). */
export type SealedBlob = unknown;

/** The core policy's verdict on credential + face (kiosk/core/policy.ts), before venue rules. */
export type BasePolicy = (input: DecideInput & { readonly faceRequired: boolean }) => Decision;

export interface VenueLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface VenueDeps {
  /** HMAC-SHA256(document number, venue secret) as the audit area computes it. */
  pseudonym(documentNumber: string): string;
  relay?: VenueRelay;
  /** Seal a record to the backend's key (X25519 + HKDF + AES-256-GCM). Required by hotel-front-desk. */
  seal?(record: Readonly<Record<string, unknown>>): SealedBlob | Promise<SealedBlob>;
  /** Path of the venue state SQLite file (':memory:' for tests). */
  db: string;
  fetch?: typeof fetch;
  clock: () => number;
  log?: VenueLogger;
  /** The core policy; when absent a built-in equivalent is used (kiosk/venues/base-policy.ts). */
  basePolicy?: BasePolicy;
  /** Shared secret for the billing webhook (internet-cafe with a billing URL). */
  billingSecret?: string | Uint8Array;
  /** Terminal id sent to venue systems. */
  kioskId?: string;
  /** Delay function for retries (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

export type ConsentLanguage = 'zh-Hans' | 'zh-Hant' | 'en' | 'es';

export interface ConsentNotice {
  readonly language: ConsentLanguage;
  readonly text: string;
}

/** A decision as the attendant sees it: masked, no pseudonym. */
export interface DecisionRow {
  readonly at: number;
  readonly outcome: Decision['outcome'];
  readonly reason: Decision['reason'];
  readonly maskedName: string;
  readonly maskedNumber: string;
  readonly documentType: string;
  /** Outcome of the venue action, when one ran. */
  readonly action?: { readonly ok: boolean; readonly reason?: string; readonly displayCode?: string };
}

export interface ThroughputMinute {
  /** epoch ms of the minute's start */
  readonly minute: number;
  readonly entries: number;
}

export interface Throughput {
  readonly perMinute: readonly ThroughputMinute[];
  readonly total: number;
  /** entries per minute over the window */
  readonly rate: number;
  readonly windowMinutes: number;
}

export interface RelayTestResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

export interface VenueSummary {
  readonly profile: VenueProfileName;
  /** venue.venueId */
  readonly name: string;
  readonly timeZone: string;
  readonly retention: VenueConfig['retention'];
  /** Profile settings worth showing (no secrets). */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
}

/** What the attendant console calls. */
export interface AttendantApi {
  todaysDecisions(): DecisionRow[];
  queueThroughput(windowMinutes?: number): Throughput;
  testRelay(): Promise<RelayTestResult>;
  summary(): VenueSummary;
}

export interface Venue {
  readonly profile: VenueProfileName;
  decide(input: DecideInput): Promise<Decision>;
  act(input: ActInput): Promise<ActionResult>;
  needsFace(document: IdentityDocument): boolean;
  readonly consent: {
    readonly languages: readonly ConsentLanguage[];
    notice(language: ConsentLanguage): ConsentNotice;
  };
  readonly attendant: AttendantApi;
  /** Delete records past their retention; returns rows deleted per record kind. */
  purge(now?: number): Record<string, number>;
  close(): void;
}
