// The machine's snapshot → the plain KioskView the screens render (kiosk/shared/view.ts). Pure. Names and
// numbers leave only masked; no photo, MRZ, full number or embedding is ever put in a view.
import type { KioskView, Screen } from '../shared/view.ts';
import type { CheckInContext } from './machine.ts';
import { lostRequiredDevices } from './machine.ts';
import { maskDocumentNumber, maskName } from './mask.ts';

/** What toView needs of a snapshot (an XState snapshot of checkInMachine fits). */
export interface ViewableSnapshot {
  readonly value: unknown;
  readonly context: CheckInContext;
}

export interface ViewOptions {
  /** The machine's clock now (epoch ms): gives KioskView.deadline. Without it no countdown is given. */
  readonly now?: number;
}

type Regions = { flow?: unknown; console?: unknown; lock?: unknown };

/** 'idle', 'checkIn.capturingFace', 'result', 'fault' … the flow region's state path. */
export function flowState(value: unknown): string {
  const flow = (value as Regions).flow;
  if (typeof flow === 'string') return flow;
  if (typeof flow === 'object' && flow !== null) {
    const [k, v] = Object.entries(flow)[0] ?? ['?', undefined];
    return typeof v === 'string' ? `${k}.${v}` : k;
  }
  return 'idle';
}

export function consoleState(value: unknown): string {
  const c = (value as Regions).console;
  return typeof c === 'string' ? c : 'closed';
}

function screenOf(flow: string, consoleS: string, ctx: CheckInContext): Screen {
  if (consoleS === 'pin' || consoleS === 'checking') return 'attendant';
  if (consoleS === 'authenticated') return flow === 'checkIn.reviewing' ? 'review' : 'attendant';
  switch (flow) {
    case 'idle':
      return 'welcome';
    case 'fault':
      return 'fault';
    case 'result':
      return 'result';
    case 'checkIn.capturingFace':
      return 'face';
    case 'checkIn.deciding':
      return ctx.faceHint !== undefined ? 'face' : 'reading';
    case 'checkIn.reviewing':
      return 'review';
    default:
      return 'reading'; // checkingCredential, acting
  }
}

const COUNTDOWN: ReadonlySet<Screen> = new Set<Screen>(['face', 'review', 'result']);

/**
 * When the current countdown ends (epoch ms, machine clock), or undefined when the screen shows none.
 * KioskView.deadline is the seconds left at the moment the view was made; a shell that ticks its own
 * countdown between views can use this instead.
 */
export function deadlineAt(snapshot: ViewableSnapshot): number | undefined {
  const ctx = snapshot.context;
  const screen = screenOf(flowState(snapshot.value), consoleState(snapshot.value), ctx);
  if (!ctx.settings.showCountdown || ctx.wait === undefined || !COUNTDOWN.has(screen)) return undefined;
  return ctx.wait.since + ctx.wait.ms;
}

export function toView(snapshot: ViewableSnapshot, options: ViewOptions = {}): KioskView {
  const ctx = snapshot.context;
  const flow = flowState(snapshot.value);
  const consoleS = consoleState(snapshot.value);
  const screen = screenOf(flow, consoleS, ctx);
  const doc = ctx.document;
  const masked =
    doc === undefined
      ? {}
      : { maskedName: maskName(doc.name), maskedNumber: maskDocumentNumber(doc.documentNumber) };

  let view: KioskView = {
    screen,
    state: flow,
    venue: { profile: ctx.settings.profile, name: ctx.settings.venueName },
    devices: { ...ctx.devices },
  };
  // An expired request QR is not shown (a wallet would be refused); kiosk/main sends the next one.
  const qrLive =
    ctx.walletQr !== undefined && (options.now === undefined || options.now < ctx.walletQr.expiresAt);
  if (screen === 'welcome' && qrLive && ctx.walletQr !== undefined)
    view = { ...view, walletQr: { ...ctx.walletQr } };
  if (screen === 'reading' && doc !== undefined) view = { ...view, reading: { source: doc.source } };
  if (screen === 'face' && ctx.faceHint !== undefined) {
    const h = ctx.faceHint;
    view = {
      ...view,
      face: {
        hint: h.hint,
        ...(h.challenge !== undefined ? { challenge: [...h.challenge] } : {}),
        ...(h.step !== undefined ? { step: h.step } : {}),
      },
    };
  }
  if (flow === 'result') {
    const d =
      ctx.decision !== undefined && ctx.decision.outcome !== 'review'
        ? { outcome: ctx.decision.outcome, reason: ctx.decision.reason }
        : (ctx.ending ?? { outcome: 'deny' as const, reason: 'timeout' as const });
    const displayCode = ctx.action?.ok === true ? ctx.action.displayCode : undefined;
    view = {
      ...view,
      result: { ...d, ...masked, ...(displayCode !== undefined ? { displayCode } : {}) },
    };
  }
  if (flow === 'checkIn.reviewing' && ctx.decision !== undefined) {
    const score = ctx.face?.score;
    view = {
      ...view,
      review: {
        reason: ctx.decision.reason,
        ...masked,
        ...(score !== undefined ? { faceScore: score } : {}),
      },
    };
  }
  if (flow === 'fault') view = { ...view, fault: { devices: lostRequiredDevices(ctx) } };
  if (consoleS !== 'closed') {
    const locked = (snapshot.value as Regions).lock === 'locked' && ctx.attendant.lockedUntil !== undefined;
    view = {
      ...view,
      attendant: {
        authenticated: consoleS === 'authenticated',
        attemptsLeft: Math.max(0, ctx.settings.attendant.maxAttempts - ctx.attendant.failedAttempts),
        ...(locked && ctx.attendant.lockedUntil !== undefined
          ? { lockedUntil: ctx.attendant.lockedUntil }
          : {}),
      },
    };
  }
  if (ctx.notice !== undefined) view = { ...view, notice: ctx.notice };
  const endsAt = deadlineAt(snapshot);
  if (options.now !== undefined && endsAt !== undefined) {
    view = { ...view, deadline: Math.max(0, Math.ceil((endsAt - options.now) / 1000)) };
  }
  return view;
}
