// The venue state: one SQLite file (better-sqlite3, WAL) holding sessions, tickets, entries, bans, bookings
// and sealed guest records. Only pseudonyms and masked values are stored in plaintext; the guest record is
// sealed before it gets here.
import Database from 'better-sqlite3';
import { KioskError } from '../shared/errors.ts';

const SCHEMA_VERSION = 1;

const MIGRATION_1 = `
CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  masked_name TEXT NOT NULL,
  masked_number TEXT NOT NULL,
  document_type TEXT NOT NULL,
  action_ok INTEGER,
  action_reason TEXT,
  action_code TEXT
);
CREATE INDEX IF NOT EXISTS decisions_at ON decisions(at);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  pseudonym TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER,
  display_code TEXT NOT NULL,
  idempotency_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_pseudonym ON sessions(pseudonym);
CREATE TABLE IF NOT EXISTS tickets (
  ticket_id TEXT PRIMARY KEY,
  pseudonym TEXT NOT NULL,
  event TEXT NOT NULL,
  gate TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER NOT NULL,
  reentry INTEGER NOT NULL DEFAULT 0,
  imported_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_pseudonym ON tickets(pseudonym);
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY,
  ticket_id TEXT,
  pseudonym TEXT NOT NULL,
  gate TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_at ON entries(at);
CREATE INDEX IF NOT EXISTS entries_ticket ON entries(ticket_id);
CREATE TABLE IF NOT EXISTS bans (
  pseudonym TEXT PRIMARY KEY,
  reason TEXT NOT NULL DEFAULT '',
  until INTEGER,
  imported_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bookings (
  ref TEXT PRIMARY KEY,
  room TEXT NOT NULL,
  expected_guests INTEGER NOT NULL,
  arrival TEXT NOT NULL,
  departure TEXT NOT NULL,
  opened_at INTEGER,
  completed_at INTEGER,
  imported_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bookings_opened ON bookings(opened_at);
CREATE TABLE IF NOT EXISTS booking_names (
  ref TEXT NOT NULL,
  pseudonym TEXT NOT NULL,
  PRIMARY KEY (ref, pseudonym)
);
CREATE INDEX IF NOT EXISTS booking_names_pseudonym ON booking_names(pseudonym);
CREATE TABLE IF NOT EXISTS booking_guests (
  ref TEXT NOT NULL,
  pseudonym TEXT NOT NULL,
  guest_index INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (ref, pseudonym)
);
CREATE INDEX IF NOT EXISTS booking_guests_pseudonym ON booking_guests(pseudonym);
CREATE TABLE IF NOT EXISTS sealed_records (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  blob TEXT NOT NULL,
  synced_at INTEGER
);
`;

export type VenueDb = Database.Database;

/** Opens (and creates or migrates) the venue state file. */
export function openVenueDb(path: string): VenueDb {
  let db: VenueDb;
  try {
    db = new Database(path);
  } catch (e) {
    throw new KioskError('E_VENUE_STATE', `cannot open venue state ${path}`, { cause: e });
  }
  try {
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`schema version ${version} is newer than this software (${SCHEMA_VERSION})`);
    }
    if (version < 1) {
      db.exec(MIGRATION_1);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
  } catch (e) {
    db.close();
    throw new KioskError('E_VENUE_STATE', `cannot migrate venue state ${path}`, { cause: e });
  }
  return db;
}
