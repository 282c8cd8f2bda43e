// Types of nodeTestCounts.mjs for TypeScript callers.
/** Returns `{ passed, failed, skipped }` parsed from node:test output, or undefined when there is none. */
export declare function parseNodeTestCounts(output: string): { passed: number; failed: number; skipped: number } | undefined;
