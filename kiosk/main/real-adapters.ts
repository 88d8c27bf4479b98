// The real adapters for compose(): the device hub (the simulator rig in demo mode), the face engine on the
// camera (a looping video file in demo mode), the audit runtime (SQLite store), the venue rules, the
// identity-QR reader and, when the kiosk is enrolled with a backend, the OpenID4VP wallet. Only kiosk/main
// constructs these. Demo mode changes the inputs (config overrides from demoOverrides(), a demo issuer key,
// a demo card-photo decoder), never the code path: card bytes go through socat ptys, faces through the real
// models, audit events into a real SQLite file.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import type { KioskConfig, KioskConfigInput } from '../../config/schema.ts';
import type { PhotoDecoder } from '../../firmware-bridge/devices/photo-decoder.ts';
import { passthroughPhotoDecoder } from '../../firmware-bridge/devices/photo-decoder.ts';
import { createDeviceHub } from '../../firmware-bridge/devices/hub.ts';
import type { DeviceHub } from '../../firmware-bridge/devices/hub.ts';
import { fakeWlt, SYNTHETIC_CARDS } from '../../firmware-bridge/simulators/cards.ts';
import { demoDevicesConfig } from '../../firmware-bridge/simulators/demo.ts';
import { startRig } from '../../firmware-bridge/simulators/rig.ts';
import type { Rig, RigDevice } from '../../firmware-bridge/simulators/rig.ts';
import { generateX25519 } from '../audit/crypto.ts';
import { cardToDocument } from '../credentials/cn-resident-id/document.ts';
import type { CardText } from '../credentials/cn-resident-id/text-block.ts';
import { issueIdentityQr } from '../credentials/identity-qr/issue.ts';
import { subjectIdFor } from '../credentials/identity-qr/profile.ts';
import type { WalletProfile, WalletResultMessage } from '../credentials/wallet/messages.ts';
import { maskDocumentNumber } from '../core/mask.ts';
import type { DeviceName, IdentityDocument, Portrait } from '../core/types.ts';
import { createFaceEngine, openCamera } from '../face/index.ts';
import type { Camera, FaceEngine } from '../face/index.ts';
import { isKioskError, KioskError } from '../shared/errors.ts';
import type { DemoAction, DemoPerson } from '../shared/contract.ts';
import { startAuditRuntime } from '../sync/runtime.ts';
import type { AuditRuntime } from '../sync/runtime.ts';
import { guestRecordSealer } from '../venues/hotel/seal.ts';
import { createVenue } from '../venues/index.ts';
import type { VenueHandle } from '../venues/index.ts';
import { seedDemo } from '../venues/demo.ts';
import { httpWalletBackend } from '../wallet/backend-client.ts';
import { openIdentityQrReader } from '../wallet/identity-qr-reader.ts';
import { terminalSignedFetch } from '../wallet/signed-fetch.ts';
import type { IdentityQrReader } from '../wallet/identity-qr-reader.ts';
import { startWalletQrRotation } from '../wallet/qr-rotation.ts';
import type {
  Adapters,
  AuditAdapter,
  DeviceAdapter,
  DeviceEvent,
  FaceAdapter,
  VenueAdapter,
  WalletAdapter,
} from './adapters.ts';
import type { DemoControls } from './engine.ts';
import { deviceAdapterFromHub, faceAdapterFromEngine, walletAdapterFrom } from './wiring.ts';

// ---------------------------------------------------------------------------------------------------------
// Demo inputs

/** The demo camera: a looping slideshow video of one person (tests/fixtures/face/README.md). */
export const DEMO_VIDEO = 'tests/fixtures/face/demo-challenge.avi';

/**
 * Which still each synthetic card's "photo" stands for. Card 0 (测试甲) carries the demo video's person
 * (amy5.png, a still the video is NOT made from), so a demo check-in with card 0 really passes the face
 * match; the others carry somebody else, so they are denied face-no-match against the same video.
 */
export const DEMO_CARD_PORTRAITS: readonly string[] = [
  'amy5.png',
  'raj1.png',
  'penny1.png',
  'sheldon2.png',
  'sheldon1.png',
];

export interface DemoIssuer {
  readonly iss: string;
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public JWK for the trust list (wallet.identityQr.trustedIssuers). */
  readonly jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA' };
  /** The issuer's secret for `sub` (subjectIdFor). */
  readonly subjectSecret: Uint8Array;
}

/** A fresh Ed25519 identity-QR issuer for this demo run (its key lives only in memory). */
export function makeDemoIssuer(kid = 'demo-issuer'): DemoIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  return {
    iss: 'https://demo-issuer.eid-kiosk.invalid',
    kid,
    privateKey,
    jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA' },
    subjectSecret: new Uint8Array(randomBytes(32)),
  };
}

/** Everything demo mode prepares before the config is loaded (the rig's paths are known in advance). */
export interface DemoPrep {
  readonly rigDir: string;
  readonly rigPaths: Readonly<Record<RigDevice, string>>;
  readonly issuer: DemoIssuer;
}

export function prepareDemo(dataDir: string): DemoPrep {
  const rigDir = join(dataDir, 'rig');
  const rigPaths = {
    reader: join(rigDir, 'reader'),
    mrz: join(rigDir, 'mrz'),
    scanner: join(rigDir, 'scanner'),
    relay: join(rigDir, 'relay'),
  };
  return { rigDir, rigPaths, issuer: makeDemoIssuer() };
}

/**
 * The config overrides demo mode needs: every device at the rig, the demo video as the camera (looping, in
 * real time, lenient challenge order, passive liveness off — a slideshow is rightly not live), the demo
 * issuer on the identity-QR trust list. Required devices stay the profile's (the venue profiles require the
 * reader; the bare default requires only the camera).
 */
export function demoOverrides(
  rigPaths: Readonly<Record<RigDevice, string>>,
  opts: { repoDir: string; issuer: Pick<DemoIssuer, 'iss' | 'jwk'> },
): KioskConfigInput {
  return {
    devices: demoDevicesConfig(rigPaths),
    face: {
      camera: { source: join(opts.repoDir, DEMO_VIDEO), loop: true, realtime: true },
      challengeStrict: false,
      livenessMin: 0,
    },
    wallet: {
      identityQr: {
        trustedIssuers: [{ iss: opts.issuer.iss, jwk: opts.issuer.jwk, name: 'Demo issuer (this run only)' }],
      },
    },
  };
}

/**
 * Demo card photos: the rig's cards carry a fake 1024-byte "WLT" blob (real WLT needs a vendor library). This
 * decoder stands in for the vendor library: it recognises the blob of synthetic card i (fakeWlt(i)) and
 * answers the face still DEMO_CARD_PORTRAITS[i]; any other bytes go to the passthrough decoder.
 */
export function demoPhotoDecoder(repoDir: string): PhotoDecoder {
  const pass = passthroughPhotoDecoder();
  const blobs = DEMO_CARD_PORTRAITS.map((_, i) => Buffer.from(fakeWlt(i)));
  const portraits = DEMO_CARD_PORTRAITS.map((file): Portrait => {
    const bytes = new Uint8Array(readFileSync(join(repoDir, 'tests/fixtures/face/images', file)));
    return { format: 'png', bytes, width: 150, height: 150 };
  });
  return {
    async decode(raw) {
      const i = blobs.findIndex((b) => b.equals(raw));
      const p = portraits[i];
      // A copy: the face engine may zero what it is given.
      if (p) return { ok: true, portrait: { ...p, bytes: new Uint8Array(p.bytes) } };
      return pass.decode(raw);
    },
    close: () => pass.close(),
  };
}

/** A synthetic card as the kiosk reads it (for seeding venues and issuing demo identity codes). */
export function syntheticDocument(card: CardText): IdentityDocument {
  return cardToDocument(card, { today: new Date().toISOString().slice(0, 10) });
}

/** A fresh identity QR (60 s, single use) for a synthetic card, signed by the demo issuer. */
export function issueDemoIdentityQr(issuer: DemoIssuer, card: CardText, now = Date.now()): string {
  const doc = syntheticDocument(card);
  return issueIdentityQr(
    {
      iss: issuer.iss,
      sub: subjectIdFor(doc.documentNumber, issuer.subjectSecret),
      iat: Math.floor(now / 1000),
      lifetimeSeconds: 60,
      claims: {
        name: doc.name,
        ...(doc.nameLatin !== undefined ? { nameLatin: doc.nameLatin } : {}),
        ...(doc.birthDate !== undefined ? { birthDate: doc.birthDate } : {}),
        ...(doc.nationality !== undefined ? { nationality: doc.nationality } : {}),
        ...(doc.sex !== undefined ? { sex: doc.sex } : {}),
        maskedDocumentNumber: maskDocumentNumber(doc.documentNumber),
        documentKind: doc.documentType,
      },
    },
    issuer.privateKey,
    issuer.kid,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Adapters

export interface RealAdaptersOptions {
  readonly demo: boolean;
  /** Where the audit store, keys, venue state, replay cache and (demo) the rig live. */
  readonly dataDir: string;
  /** The repository (models/, tests/fixtures/ for the demo). */
  readonly repoDir: string;
  readonly log: Logger;
  /** Demo mode: from prepareDemo() (the same one whose overrides were given to loadConfig). */
  readonly demoPrep?: DemoPrep;
  /** Default <repoDir>/models. */
  readonly modelsDir?: string;
  /** An audit append failed for a full disk or an I/O error (the event is lost; the kiosk carries on). */
  readonly onAuditFault?: (code: 'E_AUDIT_DISK_FULL' | 'E_AUDIT_IO') => void;
}

/** The rig's controls as the demo panel uses them. */
export interface RigControl {
  readonly rig: Rig;
  /** The demo panel's handle; `fallback` answers what the rig cannot (wallet delivery, demo face outcome). */
  demoControls(fallback?: DemoControls): DemoControls;
  /** Present synthetic card i (lifting whatever card is on the reader first). */
  presentCard(index: number): Promise<void>;
  /** Scan a freshly issued identity QR for synthetic card i through the scanner simulator. */
  scanIdentityQr(index: number): Promise<string>;
  /** Camera/backend presence (no simulator for these): emits device.lost/ready. */
  setPresent(device: 'camera' | 'backend', up: boolean): void;
}

export interface RealAdapters {
  readonly adapters: Partial<Adapters>;
  /** The venue guard for the machine's faceRequired (compose needs to provide it; see docs). */
  readonly needsFace: (document: IdentityDocument) => boolean;
  readonly rig?: RigControl;
  readonly audit: AuditRuntime;
  readonly venue: VenueHandle;
  readonly hub: DeviceHub;
  close(): Promise<void>;
}

/** Device events from several sources as one adapter. */
function mergeDevices(...sources: DeviceAdapter[]): DeviceAdapter {
  return {
    subscribe(emit) {
      const offs = sources.map((s) => s.subscribe(emit));
      return () => offs.forEach((off) => off());
    },
  };
}

/** Presence of devices with no hub behind them (the camera, the backend link). */
class Presence implements DeviceAdapter {
  private readonly listeners = new Set<(e: DeviceEvent) => void>();
  private readonly state = new Map<DeviceName, boolean>();
  set(device: DeviceName, up: boolean): void {
    if (this.state.get(device) === up) return;
    this.state.set(device, up);
    const e: DeviceEvent = up ? { type: 'device.ready', device } : { type: 'device.lost', device };
    for (const l of this.listeners) l(e);
  }
  subscribe(emit: (e: DeviceEvent) => void): () => void {
    this.listeners.add(emit);
    for (const [device, up] of this.state)
      emit(up ? { type: 'device.ready', device } : { type: 'device.lost', device });
    return () => this.listeners.delete(emit);
  }
}

const SETUP_HINT =
  'run `npm run setup` (installs libopencv-dev, builds the OpenCV binding, fetches the models)';

async function openFace(
  config: KioskConfig,
  opts: RealAdaptersOptions,
): Promise<{ engine: FaceEngine; camera: Camera }> {
  let engine: FaceEngine;
  try {
    engine = await createFaceEngine(config.face, {
      modelsDir: opts.modelsDir ?? join(opts.repoDir, 'models'),
    });
  } catch (e) {
    if (isKioskError(e) && (e.code === 'E_FACE_OPENCV_UNAVAILABLE' || e.code === 'E_FACE_MODEL_MISSING'))
      throw new KioskError(e.code, `the face engine cannot start: ${e.message} — ${SETUP_HINT}`, {
        cause: e,
      });
    throw e;
  }
  const source = config.face.camera.source;
  const resolved =
    /^\/dev\//.test(source) || /^\d+$/.test(source) || isAbsolute(source)
      ? source
      : join(opts.repoDir, source);
  try {
    return { engine, camera: openCamera({ ...config.face.camera, source: resolved }) };
  } catch (e) {
    await engine.close();
    throw e;
  }
}

/** The audit runtime as the machine's audit action; a full or failing disk is a logged fault, not a crash. */
export function auditAdapterFromRuntime(
  rt: Pick<AuditRuntime, 'append'>,
  log: Logger,
  onFault: (code: 'E_AUDIT_DISK_FULL' | 'E_AUDIT_IO') => void,
): AuditAdapter {
  return {
    record(event) {
      try {
        rt.append(event);
      } catch (e) {
        if (isKioskError(e) && (e.code === 'E_AUDIT_DISK_FULL' || e.code === 'E_AUDIT_IO')) {
          log.error({ code: e.code, type: event.type }, 'audit store fault: event not recorded');
          onFault(e.code);
          return;
        }
        throw e;
      }
    },
  };
}

/**
 * The OpenID4VP wallet through the backend verifier, when this kiosk is enrolled with a backend and the venue
 * profile names what to ask for. Requests are signed with the terminal key (kiosk/wallet/signed-fetch.ts);
 * results arrive over the kiosk channel.
 */
function realWallet(
  config: KioskConfig,
  rt: AuditRuntime,
  results: Set<(m: WalletResultMessage) => void>,
  log: Logger,
): WalletAdapter | undefined {
  const enrolment = rt.enrolment();
  const profile = config.venue.profile;
  if (!config.wallet.enabled || !enrolment || profile === 'none') return undefined;
  const backend = httpWalletBackend({
    verifierUrl: config.wallet.verifierUrl,
    authHeaders: () => ({}),
    timeoutMs: config.wallet.requestTimeoutMs,
    fetch: terminalSignedFetch({ identity: rt.identity }),
  });
  return walletAdapterFrom(
    (onQr) =>
      startWalletQrRotation({
        backend,
        profile: profile as WalletProfile,
        rotateMs: config.wallet.qrRotateSeconds * 1000,
        onQr,
        onError: (code) => log.warn({ code }, 'wallet QR rotation'),
      }),
    (listener) => {
      results.add(listener);
      return () => results.delete(listener);
    },
  );
}

function isWalletResult(body: unknown): body is WalletResultMessage {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'wallet.result';
}

/** A wallet that shows no QR (not enrolled, or wallet off): the welcome screen simply has no wallet code. */
const NO_WALLET: WalletAdapter = { subscribe: () => () => undefined };

export async function buildRealAdapters(
  config: KioskConfig,
  opts: RealAdaptersOptions,
): Promise<RealAdapters> {
  const log = opts.log.child({ area: 'main' });
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'close');
      }
    }
    cleanups.length = 0;
  };
  try {
    const presence = new Presence();
    const walletResults = new Set<(m: WalletResultMessage) => void>();

    // Audit first: the venue's pseudonym is the audit store's.
    const rt = startAuditRuntime({
      config: config.audit,
      dataDir: opts.dataDir,
      log: opts.log.child({ area: 'audit' }),
      onChannelMessage: (body) => {
        if (isWalletResult(body)) for (const l of walletResults) l(body);
      },
      onChannelState: (s) => {
        if (s !== 'connecting') presence.set('backend', s === 'ready');
      },
    });
    cleanups.push(() => rt.close());

    // Devices: the rig in demo mode.
    let rig: Rig | undefined;
    if (opts.demo) {
      if (!opts.demoPrep) throw new KioskError('E_SHELL_INTERNAL', 'demo mode needs prepareDemo() output');
      rig = await startRig(opts.demoPrep.rigDir);
      const r = rig;
      cleanups.push(() => r.stop());
    }
    const hub = createDeviceHub(config.devices, {
      log: opts.log,
      ...(opts.demo ? { photoDecoder: demoPhotoDecoder(opts.repoDir) } : {}),
    });
    cleanups.push(() => hub.close());

    const idQr: IdentityQrReader = openIdentityQrReader(config.wallet.identityQr, { dataDir: opts.dataDir });
    cleanups.push(() => idQr.close());

    // Face: engine + camera; the camera's state is a device.
    const { engine, camera } = await openFace(config, opts);
    cleanups.push(() => engine.close());
    cleanups.push(() => camera.close());
    presence.set('camera', camera.state === 'open');
    const offCam = camera.onStatus((s) => presence.set('camera', s === 'open'));
    cleanups.push(offCam);
    const face: FaceAdapter = faceAdapterFromEngine(engine, camera);

    // Venue.
    const venueDb = join(opts.dataDir, 'venue.sqlite');
    const sealKey = config.audit.backendPublicKey || rt.enrolment()?.sealPublicKey;
    const seal =
      config.venue.profile !== 'hotel-front-desk'
        ? undefined
        : sealKey
          ? guestRecordSealer(sealKey)
          : opts.demo
            ? guestRecordSealer(generateX25519().publicKey) // demo: sealed to a throw-away key
            : undefined;
    const venue = createVenue(config.venue, {
      pseudonym: (n) => rt.store().pseudonym(n),
      db: venueDb,
      clock: Date.now,
      ...(hub.relay ? { relay: hub.relay } : {}),
      ...(seal ? { seal } : {}),
      kioskId: rt.identity.terminalId,
      log: opts.log.child({ area: 'venue' }),
    });
    cleanups.push(() => venue.close());
    if (opts.demo) {
      seedDemo(venue, {
        numbers: SYNTHETIC_CARDS.map((c) => syntheticDocument(c).documentNumber),
        pseudonym: (n) => rt.store().pseudonym(n),
        now: Date.now(),
        timeZone: config.venue.timeZone,
      });
    } else if (config.venue.profile === 'stadium-gate') {
      venue
        .refreshFeeds()
        .catch((e: unknown) => log.warn({ err: e instanceof Error ? e.message : String(e) }, 'venue feeds'));
    }
    const venueAdapter: VenueAdapter & { needsFace(d: IdentityDocument): boolean } = {
      decide: (input) => venue.decide(input),
      act: (input) => venue.act(input),
      needsFace: (d) => venue.needsFace(d),
    };

    const audit = auditAdapterFromRuntime(rt, log, (code) => opts.onAuditFault?.(code));
    const devices = mergeDevices(deviceAdapterFromHub(hub, idQr), presence);
    const wallet = realWallet(config, rt, walletResults, log);

    const adapters: Partial<Adapters> = {
      devices,
      face,
      audit,
      venue: venueAdapter,
      ...(wallet ? { wallet } : opts.demo ? {} : { wallet: NO_WALLET }),
    };
    if (!wallet) log.info({ demo: opts.demo }, 'wallet: not enrolled with a backend (no verifier QR)');

    const rigControl =
      rig && opts.demoPrep ? makeRigControl(rig, opts.demoPrep.issuer, presence, config, log) : undefined;
    return {
      adapters,
      needsFace: venueAdapter.needsFace,
      ...(rigControl ? { rig: rigControl } : {}),
      audit: rt,
      venue,
      hub,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function demoPersonId(i: number): string {
  return `card-${i}`;
}

function makeRigControl(
  rig: Rig,
  issuer: DemoIssuer,
  presence: Presence,
  config: KioskConfig,
  log: Logger,
): RigControl {
  const pollMs = config.devices.reader.pollIntervalMs;
  let onReader: number | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  };
  const forger = makeDemoIssuer('demo-issuer'); // same kid, different key: a forged code
  const presentCard = (i: number) =>
    serial(async () => {
      if (onReader !== undefined) {
        await rig.control.liftCard();
        // The reader must see "no card" before the same or another card counts as a new one.
        await sleep(pollMs * (config.devices.reader.liftConfirmPolls + 1) + 50);
      }
      await rig.control.presentCard(i);
      onReader = i;
    });
  const scanIdentityQr = async (i: number) => {
    const card = SYNTHETIC_CARDS[i];
    if (!card) throw new RangeError(`no synthetic card ${i}`);
    const text = issueDemoIdentityQr(issuer, card);
    await rig.control.scan(text);
    return text;
  };
  const rigDevices = new Set<DeviceName>(['reader', 'mrz', 'scanner', 'relay']);
  const people: DemoPerson[] = SYNTHETIC_CARDS.map((c, i) => {
    const d = syntheticDocument(c);
    const who = i === 0 ? 'the person in the demo video' : 'someone else';
    return {
      id: demoPersonId(i),
      label: `${d.name} · ${d.documentType} · card photo: ${who}`,
      document: 'id-card',
      scanText: `DEMO-ID:${demoPersonId(i)}`,
    };
  });
  const fail = (what: string) => (e: unknown) =>
    log.warn({ what, err: e instanceof Error ? e.message : String(e) }, 'demo action failed');
  return {
    rig,
    presentCard,
    scanIdentityQr,
    setPresent: (device, up) => presence.set(device, up),
    demoControls(fallback) {
      return {
        people: () => people,
        act(a: DemoAction) {
          switch (a.type) {
            case 'card': {
              const i = people.findIndex((p) => p.id === a.person);
              if (i >= 0) presentCard(i).catch(fail('card'));
              return;
            }
            case 'scan': {
              const m = /^DEMO-ID:(.+)$/.exec(a.text);
              if (!m) {
                rig.control.scan(a.text).catch(fail('scan'));
                return;
              }
              const i = people.findIndex((p) => p.id === m[1]);
              const card = SYNTHETIC_CARDS[i] ?? SYNTHETIC_CARDS[0]!;
              // A known person: a fresh code from the trusted demo issuer. Anything else: a code signed by a key
              // nobody trusts (same kid), which the reader rejects as a bad signature.
              const text = issueDemoIdentityQr(i >= 0 ? issuer : forger, card);
              rig.control.scan(text).catch(fail('scan'));
              return;
            }
            case 'device':
              if (rigDevices.has(a.device)) {
                const d = a.device as RigDevice;
                (a.present ? rig.control.replug(d) : rig.control.unplug(d)).catch(fail('device'));
              } else {
                presence.set(a.device, a.present);
              }
              return;
            case 'wallet':
            case 'face':
              // No simulator: the demo wallet fake delivers; the real face engine ignores a chosen outcome.
              fallback?.act(a);
              return;
          }
        },
      };
    },
  };
}
