/**
 * Finds the bibliography files a manuscript uses: YAML front matter `bibliography:` (a string or a
 * list), a Quarto project's `_quarto.yml` and the folder's `_metadata.yml`, LaTeX `\bibliography{a,b}`
 * and `\addbibresource{x.bib}`, Manubot's `content/manual-references.json` (or one beside the
 * manuscript), and the user's setting.
 */
import { parse as parseYaml } from 'yaml';

/** Where a bibliography path came from, for messages. */
export type BibliographyOrigin = 'frontMatter' | 'project' | 'latex' | 'manubot' | 'setting';

/**
 * Quarto metadata files that may name the bibliography, relative to the manuscript's folder: the
 * folder's `_metadata.yml`, then the project's `_quarto.yml` here or up to two folders above (the
 * nearest one is the project; its paths are relative to its own folder).
 */
export const PROJECT_METADATA_FILES: readonly string[] = [
  '_metadata.yml',
  '_metadata.yaml',
  '_quarto.yml',
  '_quarto.yaml',
  '../_quarto.yml',
  '../_quarto.yaml',
  '../../_quarto.yml',
  '../../_quarto.yaml',
];

/** A bibliography file to read, as a path relative to the manuscript's folder (or absolute). */
export interface BibliographyReference {
  readonly path: string;
  readonly origin: BibliographyOrigin;
}

function frontMatterBibliographies(text: string): string[] {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  return match ? yamlBibliographies(match[1]) : [];
}

function yamlBibliographies(yaml: string): string[] {
  let data: unknown;
  try {
    data = parseYaml(yaml);
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
 * Lists the bibliography files a manuscript names, in order, without duplicates: its front matter's,
 * or else (Quarto lets a document's own metadata override the project's) the Quarto metadata files'.
 * @param text The manuscript's text.
 * @param options `exists` tells whether a path relative to the manuscript's folder exists (for the
 *   Manubot conventions); `settingFiles` are the `biowrite.sources.libraryFiles` paths, already resolved;
 *   `projectFiles` holds the Quarto metadata files found beside and above the manuscript.
 */
export function discoverBibliographies(
  text: string,
  options: {
    readonly exists?: (relativePath: string) => boolean;
    readonly settingFiles?: readonly string[];
    /** The texts of the {@link PROJECT_METADATA_FILES} that exist, by their relative path (optional). */
    readonly projectFiles?: ReadonlyMap<string, string>;
  } = {},
): BibliographyReference[] {
  const found: BibliographyReference[] = [];
  const seen = new Set<string>();
  const add = (path: string, origin: BibliographyOrigin): void => {
    const key = path.replace(/^\.\//, '');
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ path, origin });
  };
  const own = frontMatterBibliographies(text);
  for (const path of own) add(path, 'frontMatter');
  // A document's own `bibliography:` replaces the project's, as in Quarto.
  if (options.projectFiles && own.length === 0) {
    let projectFound = false;
    for (const file of PROJECT_METADATA_FILES) {
      const isProject = /_quarto\.ya?ml$/.test(file);
      if (isProject && projectFound) continue;
      const yaml = options.projectFiles.get(file);
      if (yaml === undefined) continue;
      if (isProject) projectFound = true;
      const folder = file.slice(0, file.lastIndexOf('/') + 1);
      for (const path of yamlBibliographies(yaml)) add(/^(?:[\\/]|[A-Za-z]:[\\/])/.test(path) ? path : `${folder}${path}`, 'project');
    }
  }
  for (const path of latexBibliographies(text)) add(path, 'latex');
  if (options.exists) {
    for (const candidate of ['manual-references.json', 'content/manual-references.json', '../content/manual-references.json']) {
      if (options.exists(candidate)) add(candidate, 'manubot');
    }
  }
  for (const path of options.settingFiles ?? []) add(path, 'setting');
  return found;
}
