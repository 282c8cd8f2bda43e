/** Placeholder: replaced by the feature's real command. */
export async function runCite(_args: readonly string[]): Promise<number> {
  process.stderr.write('biowrite cite: not available yet\n');
  return 2;
}
