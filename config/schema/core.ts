// Top-level config keys owned by the check-in machine and the shell (merged into the root object).
export const coreSection = {};
