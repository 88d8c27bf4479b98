// Versioned migrations of the kiosk's event store (PRAGMA user_version). Append-only: never edit a shipped
// step, add the next one.
export const MIGRATIONS: readonly string[] = [
  // 1: events, meta, sync state, purge anchor and gate, append-only triggers
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    time      INTEGER NOT NULL,
    type      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE,
    sig       TEXT NOT NULL,
    body      TEXT NOT NULL,
    sealed    TEXT
  ) STRICT;
  CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    acked_seq INTEGER NOT NULL,
    acked_hash TEXT NOT NULL,
    acked_at INTEGER
  ) STRICT;
  INSERT INTO sync_state (id, acked_seq, acked_hash, acked_at) VALUES (1, 0, '${'0'.repeat(64)}', NULL);
  CREATE TABLE purge_anchor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL) STRICT;
  INSERT INTO purge_anchor (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');
  CREATE TABLE purge_gate (id INTEGER PRIMARY KEY CHECK (id = 1), open INTEGER NOT NULL) STRICT;
  INSERT INTO purge_gate (id, open) VALUES (1, 0);

  CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

  CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  WHEN (SELECT open FROM purge_gate WHERE id = 1) IS NOT 1
    OR OLD.seq > (SELECT acked_seq FROM sync_state WHERE id = 1)
  BEGIN SELECT RAISE(ABORT, 'audit events are deleted only by the retention purge, once acknowledged'); END;

  CREATE TRIGGER events_seq_continues BEFORE INSERT ON events
  WHEN NEW.seq <> COALESCE((SELECT MAX(seq) FROM events), (SELECT seq FROM purge_anchor WHERE id = 1)) + 1
  BEGIN SELECT RAISE(ABORT, 'seq must continue the chain'); END;

  CREATE TRIGGER sync_ack_forward BEFORE UPDATE ON sync_state
  WHEN NEW.acked_seq < OLD.acked_seq
  BEGIN SELECT RAISE(ABORT, 'the acknowledged seq only moves forward'); END;

  CREATE TRIGGER purge_anchor_forward BEFORE UPDATE ON purge_anchor
  WHEN NEW.seq < OLD.seq OR NEW.seq > (SELECT acked_seq FROM sync_state WHERE id = 1)
  BEGIN SELECT RAISE(ABORT, 'the purge anchor only moves forward, up to the acknowledged seq'); END;
  `,
];
