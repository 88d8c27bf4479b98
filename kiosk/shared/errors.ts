// One error type and one code table. Codes are E_AREA_WHAT, append-only, each documented. Each area keeps its
// own table in ./error-codes/<area>.ts (so areas can grow without editing each other's files); this file
// joins them. tests/unit/shared/error-codes.test.ts keeps the tables, docs/error-codes.md and the types in step.
import { coreCodes } from './error-codes/core.ts';
import { deviceCodes } from './error-codes/device.ts';
import { faceCodes } from './error-codes/face.ts';
import { auditCodes } from './error-codes/audit.ts';
import { walletCodes } from './error-codes/wallet.ts';
import { venueCodes } from './error-codes/venue.ts';
import { shellCodes } from './error-codes/shell.ts';

export const ERROR_CODES = {
  ...coreCodes,
  ...deviceCodes,
  ...faceCodes,
  ...auditCodes,
  ...walletCodes,
  ...venueCodes,
  ...shellCodes,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class KioskError extends Error {
  override readonly name = 'KioskError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isKioskError(e: unknown): e is KioskError {
  return e instanceof KioskError;
}

/** The Result every IPC / bridge call answers with. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };
