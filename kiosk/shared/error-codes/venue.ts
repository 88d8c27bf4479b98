// Error codes of the venue area: code → one-line meaning (what happened and what to do). Append-only.
export const venueCodes = {} as const satisfies Record<`E_${string}`, string>;
