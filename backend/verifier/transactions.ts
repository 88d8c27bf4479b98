// Transactions: one per QR the kiosk shows. Held in memory by this backend process (single instance; a fleet
// needs sticky routing of /wallet/* or a shared store behind the same interface).
import type { JWK } from 'jose';
import type { WalletProfile } from '../../kiosk/credentials/wallet/messages.ts';

export type TransactionStatus = 'pending' | 'answered' | 'cancelled';

export interface Transaction {
  readonly id: string;
  readonly terminalId: string;
  readonly profile: WalletProfile;
  readonly nonce: string;
  readonly state: string;
  readonly clientId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The signed request object served at request_uri. */
  readonly requestObject: string;
  /** The authorization request payload (as the library made it) for response validation. */
  readonly requestPayload: Record<string, unknown>;
  /** Per-transaction response encryption key (direct_post.jwt). */
  readonly encryptionKey?: { readonly privateKey: CryptoKey; readonly publicJwk: JWK };
  status: TransactionStatus;
}

export interface TransactionStore {
  put(tx: Transaction): void;
  get(id: string): Transaction | undefined;
  /** Atomically move pending → answered; false if it was not pending. */
  claim(id: string): boolean;
  cancel(id: string): void;
  prune(now: number, tombstoneMs: number): number;
  size(): number;
}

export function memoryTransactionStore(): TransactionStore {
  const txs = new Map<string, Transaction>();
  return {
    put: (tx) => void txs.set(tx.id, tx),
    get: (id) => txs.get(id),
    claim(id) {
      const tx = txs.get(id);
      if (!tx || tx.status !== 'pending') return false;
      tx.status = 'answered';
      return true;
    },
    cancel(id) {
      const tx = txs.get(id);
      if (tx && tx.status === 'pending') tx.status = 'cancelled';
    },
    prune(now, tombstoneMs) {
      let n = 0;
      for (const [id, tx] of txs)
        if (tx.expiresAt + tombstoneMs < now) {
          txs.delete(id);
          n++;
        }
      return n;
    },
    size: () => txs.size,
  };
}
