// Error codes of the device area: code → one-line meaning (what happened and what to do). Append-only.
export const deviceCodes = {} as const satisfies Record<`E_${string}`, string>;
