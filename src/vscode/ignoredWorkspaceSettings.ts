/**
 * Finds application-scoped settings that a workspace's settings file tries to set: VS Code ignores them,
 * and Biowrite tells the user so. Pure TypeScript (no `vscode`), unit-tested.
 */

/** Removes `//` and block comments from JSONC, leaving strings (URLs with `//` included) intact. */
export function stripJsonComments(text: string): string {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    const next = text[index + 1];
    if (character === '"') {
      const start = index;
      index += 1;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      index += 1;
      output += text.slice(start, index);
    } else if (character === '/' && next === '/') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (character === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 2;
      output += ' ';
    } else {
      output += character;
      index += 1;
    }
  }
  return output;
}

/**
 * The setting keys of `settingsText` (a `settings.json` or the `settings` of a `.code-workspace`, JSONC)
 * that are in `applicationKeys`, in order of appearance, without duplicates.
 * @param settingsText The file's text.
 * @param applicationKeys Keys only user settings may set, e.g. `biowrite.llm.baseUrl`.
 */
export function findIgnoredWorkspaceSettings(settingsText: string, applicationKeys: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const keyPattern = /"((?:[^"\\]|\\.)*)"\s*:/g;
  for (const match of stripJsonComments(settingsText).matchAll(keyPattern)) {
    const key = match[1];
    if (key !== undefined && applicationKeys.has(key) && !found.includes(key)) found.push(key);
  }
  return found;
}

/** One contributed configuration section of package.json, as far as scopes go. */
interface ConfigurationSection {
  readonly properties?: Readonly<Record<string, { readonly scope?: string }>>;
}

/**
 * The keys a manifest declares with `application` or `machine` scope: those a workspace cannot set.
 * @param contributedConfiguration `contributes.configuration` of package.json (an object or an array of them).
 */
export function applicationScopedKeys(contributedConfiguration: unknown): Set<string> {
  const sections = (Array.isArray(contributedConfiguration) ? contributedConfiguration : [contributedConfiguration]) as ConfigurationSection[];
  const keys = new Set<string>();
  for (const section of sections) {
    for (const [key, property] of Object.entries(section?.properties ?? {})) {
      if (property?.scope === 'application' || property?.scope === 'machine') keys.add(key);
    }
  }
  return keys;
}
