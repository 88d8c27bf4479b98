// The kiosk's one config schema: every key has a default, unknown keys fail, the result is frozen.
// Each area owns its section in ./schema/<area>.ts; this file joins them. Only kiosk/main and the CLI call
// loadConfig(); everything else receives the frozen object.
import { z } from 'zod';
import { coreSection } from './schema/core.ts';
import { devicesSection } from './schema/devices.ts';
import { faceSection } from './schema/face.ts';
import { auditSection } from './schema/audit.ts';
import { walletSection } from './schema/wallet.ts';
import { venueSection } from './schema/venue.ts';

export const configSchema = z.strictObject({
  /** An editor's pointer to the JSON Schema (`eid-kiosk config schema`); ignored by the kiosk. */
  $schema: z.string().optional(),
  /** Path-independent identity of this file's format. */
  version: z.literal(1).default(1),
  ...coreSection,
  devices: devicesSection,
  face: faceSection,
  audit: auditSection,
  wallet: walletSection,
  venue: venueSection,
});

export type KioskConfig = Readonly<z.infer<typeof configSchema>>;
export type KioskConfigInput = z.input<typeof configSchema>;

/** The config file format as JSON Schema (draft 2020-12), for editors; the zod schema stays the judge. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
