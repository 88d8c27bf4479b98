// Who is calling: a bearer token with roles (people: dashboard, admin, review, unseal) or a terminal's signed
// request (kiosks). Tokens are compared by SHA-256 digest in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ed25519PublicFromRaw } from '../kiosk/audit/crypto.ts';
import {
  HDR_SIGNATURE,
  HDR_TERMINAL,
  HDR_TIME,
  verifyRequestSignature,
} from '../kiosk/sync/request-signing.ts';
import { HttpError } from './http-error.ts';
import type { Role } from './options.ts';
import type { BackendStorage, TerminalRow } from './storage/store.ts';

export interface Actor {
  readonly name: string;
  readonly roles: ReadonlySet<Role>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function tokenTable(tokens: readonly { name: string; token: string; roles: readonly Role[] }[]) {
  const entries = tokens.map((t) => {
    const roles = new Set<Role>(t.roles);
    if (roles.has('admin')) for (const r of ['view', 'review', 'enrol'] as const) roles.add(r);
    return { name: t.name, d: digest(t.token), roles };
  });
  return {
    find(token: string): Actor | null {
      const d = digest(token);
      let found: Actor | null = null;
      for (const e of entries) if (timingSafeEqual(e.d, d)) found = { name: e.name, roles: e.roles };
      return found;
    },
  };
}
export type TokenTable = ReturnType<typeof tokenTable>;

export function cookie(req: FastifyRequest, name: string): string | undefined {
  const h = req.headers.cookie;
  if (!h) return undefined;
  for (const part of h.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export const DASHBOARD_COOKIE = 'eid_dash';

/** The actor of a request (Authorization: Bearer, or the dashboard cookie), required to hold `role`. */
export function requireRole(table: TokenTable, req: FastifyRequest, role: Role): Actor {
  const auth = req.headers.authorization;
  const token =
    typeof auth === 'string' && auth.startsWith('Bearer ')
      ? auth.slice(7).trim()
      : cookie(req, DASHBOARD_COOKIE);
  if (!token) throw new HttpError(401, 'E_BACKEND_UNAUTHORISED', 'a bearer token is required');
  const actor = table.find(token);
  if (!actor) throw new HttpError(401, 'E_BACKEND_UNAUTHORISED', 'unknown token');
  if (!actor.roles.has(role)) throw new HttpError(403, 'E_BACKEND_FORBIDDEN', `role '${role}' is required`);
  return actor;
}

/** Verify a terminal's signed request; returns the enrolled, unrevoked terminal. */
export async function requireTerminal(
  storage: BackendStorage,
  req: FastifyRequest,
  maxSkewMs: number,
  now: number,
): Promise<TerminalRow> {
  const id = req.headers[HDR_TERMINAL];
  const time = req.headers[HDR_TIME];
  const sig = req.headers[HDR_SIGNATURE];
  if (
    typeof id !== 'string' ||
    typeof time !== 'string' ||
    typeof sig !== 'string' ||
    !/^\d{1,16}$/.test(time)
  ) {
    throw new HttpError(401, 'E_BACKEND_UNAUTHORISED', 'a signed terminal request is required');
  }
  if (id.length > 64) throw new HttpError(401, 'E_BACKEND_UNAUTHORISED', 'bad terminal id');
  const t = await storage.getTerminal(id);
  if (!t) throw new HttpError(401, 'E_BACKEND_UNKNOWN_TERMINAL', 'this terminal is not enrolled');
  const body = (req as FastifyRequest & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
  if (
    !verifyRequestSignature(ed25519PublicFromRaw(t.publicKey), req.method, req.url, body, Number(time), sig)
  ) {
    throw new HttpError(401, 'E_BACKEND_UNAUTHORISED', 'the request signature does not verify');
  }
  if (t.revokedAt !== null)
    throw new HttpError(403, 'E_BACKEND_TERMINAL_REVOKED', 'this terminal was revoked');
  if (Math.abs(Number(time) - now) > maxSkewMs) {
    throw new HttpError(401, 'E_BACKEND_CLOCK_SKEW', 'the request time is outside the allowed window', {
      serverTime: now,
    });
  }
  return t;
}
