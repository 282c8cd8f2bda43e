/**
 * Writes a file the workspace holds (`.biowrite/ignore.json`) without following symbolic links: a cloned
 * repository could make `.biowrite` or the file a link to `~/.bashrc`, and a plain write would replace
 * what it points to. The file is written to a fresh temporary file in the same folder, then renamed over
 * the old one, so a crash leaves the old file or the new one, never half of one.
 */
import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename as renameFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';

/** Options of {@link writeFileInFolder}. */
export interface WriteInFolderOptions {
  /** Moves the temporary file into place (optional; default: `fs.rename`). Tests make it fail. */
  readonly rename?: (from: string, to: string) => Promise<void>;
}

/** The `/`-separated parts of a relative path, or an error when it could leave the folder. */
function partsOf(relativePath: string): string[] {
  const parts = relativePath.split(/[\\/]/);
  if (relativePath === '' || /^(?:[a-zA-Z]:|[\\/])/.test(relativePath) || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(l10n.t('{0} is not a path inside the folder.', relativePath));
  }
  return parts;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function linkError(shown: string, kind: 'file' | 'folder'): Error {
  return new Error(
    kind === 'file'
      ? l10n.t('{0} is a symbolic link. Biowrite does not write through links: replace it with a regular file, then try again.', shown)
      : l10n.t('{0} is a symbolic link. Biowrite does not write through links: replace it with a regular folder, then try again.', shown),
  );
}

/**
 * Checks that no part of `relativePath` under `folder` is a symbolic link (missing parts are fine), so
 * that writing there cannot land outside the folder. The folder itself may be a link.
 * @param folder The workspace folder (absolute).
 * @param relativePath E.g. `.biowrite/ignore.json`.
 * @throws Error naming the link and the next step; Error when the path leaves the folder.
 */
export async function assertNoSymbolicLinks(folder: string, relativePath: string): Promise<void> {
  const parts = partsOf(relativePath);
  let path = folder;
  for (let index = 0; index < parts.length; index++) {
    path = join(path, parts[index]);
    const info = await lstatOrUndefined(path);
    if (!info) return;
    if (info.isSymbolicLink()) throw linkError(parts.slice(0, index + 1).join('/'), index === parts.length - 1 ? 'file' : 'folder');
  }
}

/**
 * Writes `content` to `relativePath` under `folder`, creating missing folders on the way. Refuses when a
 * part of the path is a symbolic link, when a folder is in the file's place or a file in a folder's;
 * replaces an existing file atomically, keeping its permissions.
 * @param folder The workspace folder (absolute; it may itself be reached through a link).
 * @param relativePath `/`-separated, without `..`, e.g. `.biowrite/ignore.json`.
 * @param content The file's new content (UTF-8 when a string).
 * @param options A replacement for `rename` (optional).
 * @throws Error with a next step when the write is refused or fails; nothing is left behind then.
 */
export async function writeFileInFolder(folder: string, relativePath: string, content: string | Uint8Array, options: WriteInFolderOptions = {}): Promise<void> {
  const parts = partsOf(relativePath);
  let directory = folder;
  for (let index = 0; index < parts.length - 1; index++) {
    directory = join(directory, parts[index]);
    const shown = parts.slice(0, index + 1).join('/');
    let info = await lstatOrUndefined(directory);
    if (!info) {
      try {
        await mkdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      // Whatever is there now (made by us or by a concurrent writer) is checked like an existing one.
      info = await lstat(directory);
    }
    if (info.isSymbolicLink()) throw linkError(shown, 'folder');
    if (!info.isDirectory()) throw new Error(l10n.t('{0} is not a folder. Rename or remove it, then try again.', shown));
  }
  const target = join(directory, parts[parts.length - 1]);
  const existing = await lstatOrUndefined(target);
  if (existing?.isSymbolicLink()) throw linkError(relativePath, 'file');
  if (existing && !existing.isFile()) throw new Error(l10n.t('{0} is not a regular file. Rename or remove it, then try again.', relativePath));

  // An unpredictable name opened with `wx` (O_CREAT|O_EXCL) cannot be a link planted in advance.
  const temporary = join(directory, `.${parts[parts.length - 1]}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx', mode: existing ? existing.mode & 0o777 : 0o666 });
    await (options.rename ?? renameFile)(temporary, target);
  } catch (error) {
    // EEXIST: the name was taken, so the file there is not ours to remove.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
