// A verified wallet result → the kiosk's IdentityDocument. Pure.
import type { CredentialCheck, IdentityDocument, Portrait } from '../../core/types.ts';
import type { WalletResultMessage } from './messages.ts';

type OkMessage = Extract<WalletResultMessage, { ok: true }>;

/**
 * documentType 'wallet-pid', source 'wallet'. `documentNumber` is the disclosed `document_number` (hotel,
 * stadium); for the internet-café profile nothing identifying is disclosed and it is '' — policies must not
 * derive a pseudonym from an empty number (use claims.age_equal_or_over instead).
 */
export function walletResultToDocument(message: OkMessage): IdentityDocument {
  const c = message.credential.claims;
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : undefined);
  const given = str('given_name');
  const family = str('family_name');
  const name = [family, given].filter((s) => s !== undefined && s !== '').join(' ');
  const nationalities = Array.isArray(c.nationalities) ? (c.nationalities as unknown[]) : [];
  const nat = typeof nationalities[0] === 'string' ? alpha2to3(nationalities[0]) : undefined;
  const portrait = parsePicture(c.picture);
  const checks: CredentialCheck[] = message.credential.checks.map((n) => ({ name: `wallet.${n}`, ok: true }));
  const validTo = message.credential.validTo;
  const doc: IdentityDocument = {
    source: 'wallet',
    documentType: 'wallet-pid',
    documentNumber: str('document_number') ?? '',
    name,
    ...(str('birthdate') !== undefined ? { birthDate: str('birthdate')! } : {}),
    ...(nat !== undefined ? { nationality: nat } : {}),
    issuer: message.credential.issuer,
    ...(validTo !== undefined ? { validTo: new Date(validTo * 1000).toISOString().slice(0, 10) } : {}),
    ...(portrait ? { portrait } : {}),
    checks,
    claims: Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'picture')),
    trustAnchor: message.credential.trustAnchor,
  };
  return doc;
}

/** EU PID `picture` is a data URL (image/jpeg or image/png); anything else is ignored. */
function parsePicture(v: unknown): Portrait | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^data:image\/(jpeg|png);base64,([A-Za-z0-9+/=]+)$/.exec(v);
  if (!m) return undefined;
  return { format: m[1] as 'jpeg' | 'png', bytes: new Uint8Array(Buffer.from(m[2]!, 'base64')) };
}

// EU PID `nationalities` are ISO 3166-1 alpha-2; IdentityDocument wants alpha-3. A short table of the codes a
// Chinese venue meets most; an unknown code passes through unchanged so nothing is lost.
const A2_TO_A3: Readonly<Record<string, string>> = {
  CN: 'CHN',
  HK: 'HKG',
  MO: 'MAC',
  TW: 'TWN',
  DE: 'DEU',
  FR: 'FRA',
  IT: 'ITA',
  ES: 'ESP',
  NL: 'NLD',
  AT: 'AUT',
  BE: 'BEL',
  PL: 'POL',
  SE: 'SWE',
  FI: 'FIN',
  DK: 'DNK',
  IE: 'IRL',
  PT: 'PRT',
  GR: 'GRC',
  CZ: 'CZE',
  HU: 'HUN',
  GB: 'GBR',
  US: 'USA',
  JP: 'JPN',
  KR: 'KOR',
  SG: 'SGP',
  AU: 'AUS',
  CA: 'CAN',
  RU: 'RUS',
};
function alpha2to3(a2: string): string {
  return a2.length === 3 ? a2 : (A2_TO_A3[a2.toUpperCase()] ?? a2);
}
