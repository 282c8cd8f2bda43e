/** Placeholder: replaced by the feature's real command. */
export async function runAbstract(_args: readonly string[]): Promise<number> {
  process.stderr.write('biowrite abstract: not available yet\n');
  return 2;
}
