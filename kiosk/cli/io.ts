// What a command may touch: lines out, lines to stderr. Tests pass a capturing io.
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
