// Error codes of the wallet area: code → one-line meaning (what happened and what to do). Append-only.
export const walletCodes = {} as const satisfies Record<`E_${string}`, string>;
