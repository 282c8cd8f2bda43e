/** Placeholder: replaced by the feature's real command. */
export async function runCheck(_args: readonly string[]): Promise<number> {
  process.stderr.write('biowrite check: not available yet\n');
  return 2;
}
