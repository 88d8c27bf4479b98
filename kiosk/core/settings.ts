// The machine's settings: the parts of the frozen KioskConfig the check-in machine needs. kiosk/main builds
// them with settingsFromConfig(config) and passes them as the machine's input. Pure.
import type { KioskConfig } from '../../config/schema.ts';
import type { DeviceName } from './types.ts';

export interface CheckInSettings {
  readonly profile: string;
  readonly venueName: string;
  readonly timeouts: {
    readonly credentialCheckMs: number;
    readonly faceMs: number;
    readonly decideMs: number;
    readonly actMs: number;
    readonly resultMs: number;
    readonly reviewMs: number;
    readonly attendantIdleMs: number;
    readonly noticeMs: number;
  };
  readonly attendant: { readonly maxAttempts: number; readonly lockoutMs: number };
  readonly challengeLength: number;
  readonly requiredDevices: readonly DeviceName[];
  readonly onActionFailure: 'review' | 'deny';
  readonly showCountdown: boolean;
  /** IANA time zone of the kiosk: the local date for validity checks (from venue.timeZone). */
  readonly timeZone: string;
}

/** The same values as the config schema's defaults (a test keeps them in step). */
export const DEFAULT_SETTINGS: CheckInSettings = {
  profile: 'custom',
  venueName: 'eid-kiosk',
  timeouts: {
    credentialCheckMs: 10_000,
    faceMs: 30_000,
    decideMs: 10_000,
    actMs: 15_000,
    resultMs: 6_000,
    reviewMs: 120_000,
    attendantIdleMs: 60_000,
    noticeMs: 4_000,
  },
  attendant: { maxAttempts: 5, lockoutMs: 300_000 },
  challengeLength: 2,
  requiredDevices: ['camera'],
  onActionFailure: 'review',
  showCountdown: true,
  timeZone: 'Asia/Shanghai',
};

function numberAt(config: KioskConfig, section: string, key: string): number | undefined {
  const v = (config as unknown as Record<string, Record<string, unknown> | undefined>)[section]?.[key];
  return typeof v === 'number' ? v : undefined;
}

export function settingsFromConfig(config: KioskConfig): CheckInSettings {
  return {
    profile: config.profile,
    venueName: config.venueName,
    timeouts: { ...config.timeouts },
    attendant: { maxAttempts: config.attendant.maxAttempts, lockoutMs: config.attendant.lockoutMs },
    // face.challengeLength belongs to the face section (one key for engine and machine); read loosely.
    challengeLength: numberAt(config, 'face', 'challengeLength') ?? DEFAULT_SETTINGS.challengeLength,
    requiredDevices: [...config.checkIn.requiredDevices],
    onActionFailure: config.checkIn.onActionFailure,
    showCountdown: config.ui.showCountdown,
    // venue.timeZone belongs to the venue section; read loosely so this file does not depend on its shape.
    timeZone:
      (config as { venue?: { timeZone?: unknown } }).venue?.timeZone === undefined
        ? DEFAULT_SETTINGS.timeZone
        : String((config as { venue: { timeZone: unknown } }).venue.timeZone),
  };
}
