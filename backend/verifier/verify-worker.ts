// Worker thread: verifies SD-JWT VC presentations (the CPU-heavy step) so one backend process can use more than
// one core. Receives its trust configuration once, then { id, job } messages; answers { id, result }.
import { parentPort, workerData } from 'node:worker_threads';
import { verifySdJwtPresentation } from './presentation.ts';
import type { PresentationResult } from './presentation.ts';
import { statusListFetcher } from './status-list.ts';
import { issuerTrust } from './trust.ts';
import type { VerifierOptions } from './config.ts';
import type { WalletProfile } from '../../kiosk/credentials/wallet/messages.ts';

export interface VerifyJob {
  readonly presentation: string;
  readonly nonce: string;
  readonly clientId: string;
  readonly profile: WalletProfile;
  readonly dcqlQuery: Record<string, unknown>;
  readonly nowMs: number;
}

export type WorkerInit = Pick<
  VerifierOptions,
  | 'trustedIssuers'
  | 'trustedCertificates'
  | 'statusList'
  | 'allowInsecureUrls'
  | 'clockSkewSeconds'
  | 'kbMaxAgeSeconds'
>;

if (parentPort) {
  const init = workerData as WorkerInit;
  const trust = issuerTrust(init);
  const statusList = statusListFetcher({ ...init.statusList, allowHttp: init.allowInsecureUrls });
  const port = parentPort;
  port.on('message', (msg: { id: number; job: VerifyJob }) => {
    const { id, job } = msg;
    verifySdJwtPresentation(job.presentation, {
      ...job,
      skewSeconds: init.clockSkewSeconds,
      kbMaxAgeSeconds: init.kbMaxAgeSeconds,
      trust,
      statusList,
      statusFailClosed: init.statusList.failClosed,
    }).then(
      (result: PresentationResult) => port.postMessage({ id, result }),
      (e: unknown) => port.postMessage({ id, error: (e as Error).message ?? String(e) }),
    );
  });
}
