// The composed audit runtime kiosk/main uses: from the config section to an enrolled, syncing kiosk that
// records dashboard review decisions in its own chain.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { startAuditRuntime } from '../../../kiosk/sync/runtime.ts';
import type { ReviewDecisionMessage } from '../../../kiosk/sync/runtime.ts';
import {
  ADMIN_TOKEN,
  decision,
  enrolmentCode,
  review,
  startBackend,
  tempDir,
  waitFor,
} from '../backend/harness.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('audit runtime', () => {
  it('enrols from config, syncs, records a dashboard decision, and resumes enrolled after a restart', async () => {
    const rig = await startBackend('sqlite');
    cleanup.push(() => rig.close());
    const dataDir = tempDir('eid-kiosk-data-');
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = configSchema.parse({
      audit: { backendUrl: rig.url, sealFields: ['documentNumber', 'name'], sync: { batchMaxAgeMs: 20 } },
    }).audit;
    const decisions: ReviewDecisionMessage[] = [];
    let rt = startAuditRuntime({
      config,
      dataDir,
      version: '0.1.0',
      onReviewDecision: (d) => decisions.push(d),
    });
    expect(rt.status()).toMatchObject({ enrolled: false, sync: null });
    // a hotel keeps a sealed guest record: impossible before enrolment gave the sealing key
    expect(() => rt.append(decision())).toThrow(/no backend public key/);
    await rt.enrol(await enrolmentCode(rig.url));
    expect(rt.status().enrolled).toBe(true);
    const passed = rt.append(decision());
    expect(passed.sealed?.rpk).toBe(rig.app.backend.sealPublicKey);
    const r = rt.append(review());
    await waitFor(
      () => rt.status().sync?.backlog === 0 && rt.status().channel === 'ready',
      10_000,
      'synced, channel ready',
    );
    const id = `${rt.identity.terminalId}:${r.body.checkInId}`;
    const res = await fetch(`${rig.url}/v1/reviews/${encodeURIComponent(id)}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approve: false, reason: 'photo does not match' }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => decisions.length === 1, 5000, 'decision pushed');
    expect(decisions[0]).toMatchObject({
      checkInId: r.body.checkInId,
      approved: false,
      reason: 'photo does not match',
    });
    const resolved = rt
      .store()
      .events()
      .find((e) => e.type === 'review.resolved');
    expect(resolved?.body).toMatchObject({
      checkInId: r.body.checkInId,
      approved: false,
      by: 'backend',
      reviewId: id,
    });
    await rt.close();

    rt = startAuditRuntime({ config, dataDir, version: '0.1.0' });
    cleanup.push(() => rt.close());
    expect(rt.status().enrolled).toBe(true);
    rt.append(decision());
    await waitFor(() => rt.status().sync?.backlog === 0, 10_000, 'synced after restart');
    expect(rt.store().verify().ok).toBe(true);
    const head = rt.store().head().seq;
    const t = await rig.app.backend.storage.getTerminal(rt.identity.terminalId);
    expect(t?.headSeq).toBe(head);
  });
});
