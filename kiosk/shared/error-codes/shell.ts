// Error codes of the shell (IPC contract, host, window): code → one-line meaning. Append-only.
export const shellCodes = {
  E_IPC_UNKNOWN_CHANNEL: 'The renderer called a channel the contract does not list; nothing was done.',
  E_IPC_INVALID_PAYLOAD:
    'A payload failed its contract schema; the message names the field. Nothing was done.',
  E_IPC_FORBIDDEN: 'The caller is not our window (wrong frame, origin or host); the call was refused.',
  E_DEMO_DISABLED: 'A demo action was sent while the kiosk is not in demo mode; nothing was done.',
  E_SHELL_NO_BROWSER: 'Neither Electron nor Chromium could be started; the message says what was tried.',
  E_IPC_DISCONNECTED: 'The screen lost its connection to the kiosk; it reconnects by itself and asks again.',
  E_SHELL_INTERNAL: 'An unexpected error while handling a screen request; the kiosk log says where.',
} as const satisfies Record<`E_${string}`, string>;
