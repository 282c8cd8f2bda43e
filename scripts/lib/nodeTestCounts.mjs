// Reads the pass/fail/skip counts from the closing lines of node's test runner (spec or TAP reporter).

/** Returns `{ passed, failed, skipped }` parsed from node:test output, or undefined when there is none. */
export function parseNodeTestCounts(output) {
  const read = (name) => {
    const matches = [...output.matchAll(new RegExp(`^(?:ℹ|#) ${name} (\\d+)\\s*$`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
  };
  const passed = read('pass');
  const failed = read('fail');
  if (passed === undefined && failed === undefined) return undefined;
  return { passed: passed ?? 0, failed: (failed ?? 0) + (read('cancelled') ?? 0), skipped: (read('skipped') ?? 0) + (read('todo') ?? 0) };
}
