// The venue secret file (pseudonyms) as the CLI and kiosk/main read it: the file's bytes with one trailing
// newline removed, at least 16 bytes. Keep the file readable by the kiosk user only.
import { readFileSync } from 'node:fs';
import { KioskError } from '../shared/errors.ts';

export function readVenueSecret(path: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new KioskError('E_VENUE_SECRET_INVALID', `cannot read the venue secret file ${path}`, { cause: e });
  }
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end -= 1;
  if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
  const secret = new Uint8Array(bytes.subarray(0, end));
  if (secret.length < 16) {
    throw new KioskError('E_VENUE_SECRET_INVALID', `the venue secret in ${path} is shorter than 16 bytes`);
  }
  return secret;
}
