// Error codes of the face area: code → one-line meaning (what happened and what to do). Append-only.
export const faceCodes = {} as const satisfies Record<`E_${string}`, string>;
