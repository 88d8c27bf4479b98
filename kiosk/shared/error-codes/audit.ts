// Error codes of the audit area: code → one-line meaning (what happened and what to do). Append-only.
export const auditCodes = {} as const satisfies Record<`E_${string}`, string>;
