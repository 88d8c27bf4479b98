// The backend's typed HTTP errors: { code, message, ...detail } with a status. Codes are in
// kiosk/shared/error-codes/audit.ts.
import type { ErrorCode } from '../kiosk/shared/errors.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: Record<string, unknown>;
  constructor(status: number, code: ErrorCode, message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

export const badRequest = (message: string, detail?: Record<string, unknown>) =>
  new HttpError(400, 'E_BACKEND_BAD_REQUEST', message, detail);
