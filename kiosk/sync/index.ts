// The sync area's integration points (docs/audit.md, docs/backend.md).
export { createSyncer } from './syncer.ts';
export type { Syncer, SyncerOptions, SyncStatus, SyncState } from './syncer.ts';
export { connectKioskChannel } from './channel.ts';
export type { KioskChannelOptions, ChannelState } from './channel.ts';
export { enrolTerminal, loadEnrolment } from './enrol.ts';
export type { Enrolment } from './enrol.ts';
export { createBackendClient } from './client.ts';
export { diskStatus, DEFAULT_DISK_THRESHOLDS } from './disk.ts';
export type { DiskStatus, DiskThresholds } from './disk.ts';
export { startAuditRuntime } from './runtime.ts';
export type { AuditRuntime, AuditRuntimeOptions, ReviewDecisionMessage } from './runtime.ts';
