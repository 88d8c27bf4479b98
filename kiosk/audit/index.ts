// The audit area's integration points (docs/audit.md).
export { openAuditStore, verifyStoreFile } from './store.ts';
export type { AuditStore, AuditStoreOptions, StoreFault } from './store.ts';
export { loadOrCreateTerminalIdentity, loadOrCreateVenueSecret } from './identity.ts';
export type { TerminalIdentity } from './identity.ts';
export type { AuditRecordInput, AuditStoreInput, StoredEvent, EventBody } from './event.ts';
export { verifyChain } from './chain.ts';
export type { ChainVerdict } from './chain.ts';
