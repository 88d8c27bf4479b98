// What a command may touch: lines out, lines to stderr. Tests pass a capturing io.
import { isKioskError } from '../shared/errors.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandModule {
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export const stdIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** A capturing io for tests. */
export function memoryIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l) };
}

/**
 * The common end of a command's try/catch: a KioskError is printed as `CODE: message` with exit 1, a
 * node:util parseArgs error goes to the command's usage (exit 2 there), anything else is a bug and rethrown.
 */
export function commandFailure(e: unknown, io: CliIo, usage: (io: CliIo, why?: string) => number): number {
  if (isKioskError(e)) {
    io.err(`${e.code}: ${e.message}`);
    return 1;
  }
  if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
    return usage(io, e.message);
  }
  throw e;
}
