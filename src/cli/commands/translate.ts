/** Placeholder: replaced by the feature's real command. */
export async function runTranslate(_args: readonly string[]): Promise<number> {
  process.stderr.write('biowrite translate: not available yet\n');
  return 2;
}
