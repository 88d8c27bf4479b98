// The composition root: the check-in machine with every named side effect provided by an adapter, wrapped as
// the KioskEngine the shell serves. Demo fakes are the default for every adapter not given.
import { scrypt as scryptCb } from 'node:crypto';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { KioskConfig } from '../../config/schema.ts';
import type { AuditInput } from '../core/audit-input.ts';
import type {
  ActInput,
  CheckPinInput,
  DeviceEventsEvent,
  FaceCheckEvent,
  FaceCheckInput,
  KioskEvent,
  VerifyCredentialInput,
  VerifyCredentialOutput,
} from '../core/machine.ts';
import { checkInMachine, nowOf } from '../core/machine.ts';
import type { ScryptFn } from '../core/pin.ts';
import { pinChecker } from '../core/pin.ts';
import type { DecideInput } from '../core/policy.ts';
import { settingsFromConfig } from '../core/settings.ts';
import type { ActionResult, Decision, IdentityDocument } from '../core/types.ts';
import { toView } from '../core/view.ts';
import type { MachineEventFromRenderer } from '../shared/contract.ts';
import type { KioskView } from '../shared/view.ts';
import type { Adapters } from './adapters.ts';
import type { DemoSet } from './demo/adapters.ts';
import { demoAdapters } from './demo/adapters.ts';
import type { DemoControls, KioskEngine } from './engine.ts';

export const nodeScrypt: ScryptFn = (password, salt, keylen, options) =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key)),
    ),
  );

export interface ComposeOptions {
  /** Demo mode: demo fakes for adapters not given, and the demo panel's controls. */
  readonly demo?: boolean;
  /** Options for the demo fakes (short steps in tests). */
  readonly demoOptions?: { faceStepMs?: number; walletRotateMs?: number };
  /** The attendant PIN check; default: config.attendant.pinHash with node:crypto scrypt. */
  readonly checkPin?: (pin: string) => Promise<boolean>;
  /** Called for unexpected adapter errors (never with personal data). */
  readonly onError?: (where: string, error: unknown) => void;
}

export interface Composition {
  readonly engine: KioskEngine;
  /** Present in demo mode. */
  readonly demo?: DemoControls;
  /** The demo fakes in use (tests look at them). */
  readonly fakes?: DemoSet;
  readonly adapters: Adapters;
  stop(): void;
}

/** The contract's parsed event → the machine's event (optional fields left out rather than undefined). */
export function toMachineEvent(e: MachineEventFromRenderer): KioskEvent {
  if (e.type !== 'attendant.decide') return e;
  return {
    type: e.type,
    outcome: e.outcome,
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.note !== undefined ? { note: e.note } : {}),
  };
}

function sameView(a: KioskView, b: KioskView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function compose(
  config: KioskConfig,
  adapters: Partial<Adapters> = {},
  opts: ComposeOptions = {},
): Composition {
  const fakes = demoAdapters(opts.demoOptions);
  const a: Adapters = {
    devices: adapters.devices ?? fakes.devices,
    face: adapters.face ?? fakes.face,
    audit: adapters.audit ?? fakes.audit,
    wallet: adapters.wallet ?? fakes.wallet,
    venue: adapters.venue ?? fakes.venue,
  };
  const report = opts.onError ?? (() => undefined);
  const checkPin = opts.checkPin ?? pinChecker(config.attendant.pinHash, nodeScrypt);

  const machine = checkInMachine.provide({
    actors: {
      deviceEvents: fromCallback<DeviceEventsEvent>(({ sendBack }) => {
        const offDevices = a.devices.subscribe(sendBack);
        const offWallet = a.wallet.subscribe(sendBack);
        return () => {
          offDevices();
          offWallet();
        };
      }),
      faceCheck: fromCallback<FaceCheckEvent, FaceCheckInput>(({ sendBack, input }) => {
        const abort = new AbortController();
        a.face
          .check(input, (h) => sendBack({ type: 'face.hint', ...h }), abort.signal)
          .then(
            (result) => {
              if (!abort.signal.aborted) sendBack({ type: 'face.done', result });
            },
            (e: unknown) => {
              if (abort.signal.aborted) return;
              report('face', e);
              sendBack({
                type: 'face.done',
                result: { outcome: 'camera-lost', detail: 'face engine error' },
              });
            },
          );
        return () => abort.abort();
      }),
      act: fromPromise<ActionResult, ActInput>(async ({ input }) => a.venue.act(input)),
      checkPin: fromPromise<boolean, CheckPinInput>(async ({ input }) => checkPin(input.pin)),
      // Without a venue verifier or policy the machine keeps its own pure defaults.
      ...(a.venue.verifyCredential
        ? {
            verifyCredential: fromPromise<VerifyCredentialOutput, VerifyCredentialInput>(async ({ input }) =>
              a.venue.verifyCredential!(input),
            ),
          }
        : {}),
      ...(a.venue.decide
        ? { decide: fromPromise<Decision, DecideInput>(async ({ input }) => a.venue.decide!(input)) }
        : {}),
    },
    // The venue decides which credentials need the face step (e.g. faceCheck 'when-portrait').
    ...(a.venue.needsFace
      ? {
          guards: {
            faceRequired: (_args: unknown, params: { document: IdentityDocument }) =>
              a.venue.needsFace!(params.document),
          },
        }
      : {}),
    actions: {
      audit: ({ system }, params: AuditInput) => {
        try {
          a.audit.record(params, nowOf(system));
        } catch (e) {
          report('audit', e);
        }
      },
    },
  });

  const actor = createActor(machine, { input: { settings: settingsFromConfig(config) } });
  const listeners = new Set<(v: KioskView) => void>();
  let current: KioskView = toView(actor.getSnapshot(), { now: Date.now() });
  const sub = actor.subscribe({
    next: (snapshot) => {
      const v = toView(snapshot, { now: nowOf(actor.system) });
      if (sameView(v, current)) return;
      current = v;
      for (const l of listeners) l(v);
    },
    error: (e) => report('machine', e),
  });
  actor.start();
  current = toView(actor.getSnapshot(), { now: nowOf(actor.system) });

  const engine: KioskEngine = {
    view: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(event: MachineEventFromRenderer) {
      actor.send(toMachineEvent(event));
    },
  };

  return {
    engine,
    ...(opts.demo ? { demo: fakes.controls } : {}),
    fakes,
    adapters: a,
    stop() {
      sub.unsubscribe();
      actor.stop();
      listeners.clear();
    },
  };
}
