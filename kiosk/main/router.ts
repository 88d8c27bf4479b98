// The shell's one request handler, shared by the browser host (WebSocket) and Electron (ipcMain): it parses
// every payload with the contract, refuses what the contract does not list, answers a Result, and fans view
// and language pushes out to every connected screen. Transport code only checks who is calling.
import type { Hello, InvokeChannel, Language, PushChannel, Result } from '../shared/contract.ts';
import {
  describe,
  fail,
  invokeChannels,
  isInvokeChannel,
  ok,
  parseInvoke,
  parseView,
} from '../shared/contract.ts';
import type { KioskView } from '../shared/view.ts';
import type { AttendantAction, AttendantDataSource } from './attendant-data.ts';
import type { DemoControls, KioskEngine } from './engine.ts';

export interface RouterOptions {
  readonly engine: KioskEngine;
  /** Present only in demo mode; demo channels are refused without it. */
  readonly demo?: DemoControls | undefined;
  readonly defaultLanguage: Language;
  /** Where the face screen's preview image is served. */
  readonly previewUrl: string;
  /** Report refused calls (never the payload itself). */
  readonly onRefused?: (channel: string, code: string) => void;
  /**
   * The consent notice and the attendant console's data (kiosk/main/attendant-data.ts). Without it,
   * 'consent.notice' and the 'attendant.*' data channels answer E_SHELL_INTERNAL ("not wired").
   */
  readonly attendant?: AttendantDataSource | undefined;
  /** Every attendant console action (after PIN), for the audit log. Never carries personal data. */
  readonly onAttendantAction?: ((action: AttendantAction) => void) | undefined;
}

export type PushListener = (channel: PushChannel, payload: unknown) => void;

export interface Router {
  invoke(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  /** Every push (view, language) goes to every listener; returns an unsubscribe. */
  onPush(listener: PushListener): () => void;
  language(): Language;
  close(): void;
}

export function createRouter(opts: RouterOptions): Router {
  const listeners = new Set<PushListener>();
  let language: Language = opts.defaultLanguage;
  let lastScreen = opts.engine.view().screen;

  const push = (channel: PushChannel, payload: unknown) => {
    for (const l of listeners) l(channel, payload);
  };

  const unsubscribe = opts.engine.subscribe((view: KioskView) => {
    const checked = parseView(view);
    if (!checked.ok) {
      opts.onRefused?.('view', checked.code);
      return;
    }
    // Back at the welcome screen after a check-in: the next person starts in the venue's language.
    if (
      view.screen === 'welcome' &&
      lastScreen !== 'welcome' &&
      lastScreen !== 'attendant' &&
      lastScreen !== 'fault'
    ) {
      if (language !== opts.defaultLanguage) {
        language = opts.defaultLanguage;
        push('language', { language });
      }
    }
    lastScreen = view.screen;
    push('view', checked.value);
  });

  const refuse = (channel: string, r: Result<never>): Result<never> => {
    if (!r.ok) opts.onRefused?.(channel, r.code);
    return r;
  };

  const noData = (channel: string) =>
    refuse(channel, fail('E_SHELL_INTERNAL', 'attendant data source not wired (RouterOptions.attendant)'));
  const loggedIn = () => opts.engine.view().attendant?.authenticated === true;
  /** Parses an answer with the channel's output schema: nothing unmasked or malformed reaches a screen. */
  const answer = (channel: InvokeChannel, value: unknown): Result<unknown> => {
    const r = invokeChannels[channel].output.safeParse(value);
    return r.success
      ? ok(r.data)
      : refuse(channel, fail('E_IPC_INVALID_PAYLOAD', `${channel} answer: ${describe(r.error)}`));
  };
  const act = (a: AttendantAction) => {
    try {
      opts.onAttendantAction?.(a);
    } catch {
      // auditing must not break the console; the composition root logs its own failures
    }
  };

  const handle = async (channel: InvokeChannel, payload: unknown): Promise<Result<unknown>> => {
    switch (channel) {
      case 'kiosk.hello': {
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        const hello: Hello = {
          view: opts.engine.view(),
          language,
          demo: opts.demo !== undefined,
          previewUrl: opts.previewUrl,
        };
        return ok(hello);
      }
      case 'kiosk.send': {
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        const event = p.value;
        if (event.type === 'ui.language') {
          language = event.language;
          push('language', { language });
        } else {
          opts.engine.send(event);
        }
        return ok(null);
      }
      case 'demo.people': {
        if (!opts.demo) return refuse(channel, fail('E_DEMO_DISABLED', 'demo mode is off'));
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        return ok(opts.demo.people());
      }
      case 'demo.act': {
        if (!opts.demo) return refuse(channel, fail('E_DEMO_DISABLED', 'demo mode is off'));
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        opts.demo.act(p.value);
        return ok(null);
      }
      case 'consent.notice': {
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        if (!opts.attendant) return noData(channel);
        return answer(channel, await opts.attendant.consent(p.value.language));
      }
      case 'attendant.decisions':
      case 'attendant.health':
      case 'attendant.profile':
      case 'attendant.test': {
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        if (!loggedIn()) return refuse(channel, fail('E_IPC_FORBIDDEN', 'attendant not logged in'));
        const src = opts.attendant;
        if (!src) return noData(channel);
        if (channel === 'attendant.test') {
          const device = (p.value as { device: Parameters<AttendantDataSource['testDevice']>[0] }).device;
          const r = answer(channel, await src.testDevice(device));
          if (r.ok) {
            const v = r.value as { ok: boolean; detail?: string };
            act({ type: 'test', device, ok: v.ok, ...(v.detail !== undefined ? { detail: v.detail } : {}) });
          } else act({ type: 'test', device, ok: false, detail: r.code });
          return r;
        }
        if (channel === 'attendant.decisions') {
          act({ type: 'view', section: 'decisions' });
          return answer(channel, await src.todaysDecisions());
        }
        if (channel === 'attendant.profile') {
          act({ type: 'view', section: 'profile' });
          return answer(channel, await src.profileSummary());
        }
        act({ type: 'view', section: 'health' });
        return answer(channel, { devices: opts.engine.view().devices, ...(await src.deviceHealth()) });
      }
      case 'attendant.review': {
        const p = parseInvoke(channel, payload);
        if (!p.ok) return refuse(channel, p);
        const view = opts.engine.view();
        if (view.attendant?.authenticated !== true)
          return refuse(channel, fail('E_IPC_FORBIDDEN', 'attendant not logged in'));
        if (!view.review)
          return refuse(channel, fail('E_IPC_FORBIDDEN', 'no check-in is waiting for review'));
        const { outcome, note } = p.value;
        opts.engine.send({
          type: 'attendant.decide',
          outcome,
          reason: outcome === 'pass' ? 'attendant-approved' : 'attendant-denied',
          note,
        });
        act({ type: 'review', outcome, note });
        return ok(null);
      }
    }
  };

  return {
    async invoke(channel, payload) {
      if (!isInvokeChannel(channel))
        return refuse(String(channel).slice(0, 40), fail('E_IPC_UNKNOWN_CHANNEL', 'unknown channel'));
      try {
        return await handle(channel, payload);
      } catch (e) {
        return fail('E_SHELL_INTERNAL', e instanceof Error ? e.message : 'internal error');
      }
    },
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    language: () => language,
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
