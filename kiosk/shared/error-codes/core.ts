// Error codes of the core area: code → one-line meaning (what happened and what to do). Append-only.
export const coreCodes = {
  E_CONFIG_INVALID: 'A config file failed its schema: the message names the file and the key.',
  E_CONFIG_UNREADABLE: 'A config file could not be read or is not valid JSON.',
  E_CLI_USAGE: 'The command line was not understood; see `eid-kiosk --help`.',
  E_CORE_INTERNAL: 'An unexpected internal error; the message and the log say where.',
} as const satisfies Record<`E_${string}`, string>;
