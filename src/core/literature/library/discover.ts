/**
 * Finds the bibliography files a manuscript uses: YAML front matter `bibliography:` (a string or a
 * list), LaTeX `\bibliography{a,b}` and `\addbibresource{x.bib}`, Manubot's
 * `content/manual-references.json` (or one beside the manuscript), and the user's setting.
 */
import { parse as parseYaml } from 'yaml';

/** Where a bibliography path came from, for messages. */
export type BibliographyOrigin = 'frontMatter' | 'latex' | 'manubot' | 'setting';

/** A bibliography file to read, as a path relative to the manuscript's folder (or absolute). */
export interface BibliographyReference {
  readonly path: string;
  readonly origin: BibliographyOrigin;
}

function frontMatterBibliographies(text: string): string[] {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return [];
  let data: unknown;
  try {
    data = parseYaml(match[1]);
  } catch {
    return [];
  }
  if (!data || typeof data !== 'object') return [];
  const value = (data as Record<string, unknown>).bibliography;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function latexBibliographies(text: string): string[] {
  const out: string[] = [];
  // Commented-out lines do not count.
  const uncommented = text.replace(/(^|[^\\])%.*$/gm, '$1');
  for (const match of uncommented.matchAll(/\\bibliography\s*\{([^}]*)\}/g)) {
    for (const name of match[1].split(',')) {
      const trimmed = name.trim();
      if (trimmed) out.push(/\.bib$/i.test(trimmed) ? trimmed : `${trimmed}.bib`);
    }
  }
  for (const match of uncommented.matchAll(/\\addbibresource\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}/g)) {
    const trimmed = match[1].trim();
    if (trimmed) out.push(trimmed);
  }
  return out;
}

/**
 * Lists the bibliography files a manuscript names, in order, without duplicates.
 * @param text The manuscript's text.
 * @param options `exists` tells whether a path relative to the manuscript's folder exists (for the
 *   Manubot conventions); `settingFiles` are the `biowrite.sources.libraryFiles` paths, already resolved.
 */
export function discoverBibliographies(
  text: string,
  options: { readonly exists?: (relativePath: string) => boolean; readonly settingFiles?: readonly string[] } = {},
): BibliographyReference[] {
  const found: BibliographyReference[] = [];
  const seen = new Set<string>();
  const add = (path: string, origin: BibliographyOrigin): void => {
    const key = path.replace(/^\.\//, '');
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ path, origin });
  };
  for (const path of frontMatterBibliographies(text)) add(path, 'frontMatter');
  for (const path of latexBibliographies(text)) add(path, 'latex');
  if (options.exists) {
    for (const candidate of ['manual-references.json', 'content/manual-references.json', '../content/manual-references.json']) {
      if (options.exists(candidate)) add(candidate, 'manubot');
    }
  }
  for (const path of options.settingFiles ?? []) add(path, 'setting');
  return found;
}
