/**
 * Whether a path stays inside a folder: in Restricted Mode Biowrite reads only the workspace's own files,
 * whatever a manuscript's `bibliography:` or `\bibliography{…}` names. The lexical check normalises `..`,
 * drive letters and (on Windows) case; the real-path check also follows symbolic links on disk.
 */
import { lstat, realpath } from 'node:fs/promises';
import { posix, win32 } from 'node:path';

/** Which path rules apply: POSIX (case-sensitive, `/`) or Windows (drive letters, `\` or `/`, case-insensitive). */
export type PathPlatform = 'posix' | 'win32';

/** A location as `vscode.Uri` describes one (a `vscode.Uri` is one), without importing `vscode`. */
export interface FileLocation {
  /** `file`, or the scheme of a virtual file system (`vscode-vfs`…). */
  readonly scheme: string;
  readonly authority: string;
  /** The URI's path (always `/`-separated). */
  readonly path: string;
  /** The path on disk, for `file` locations. */
  readonly fsPath: string;
}

function hostPlatform(): PathPlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

function withTrailingSeparator(path: string, separator: string): string {
  return path.endsWith(separator) ? path : path + separator;
}

/**
 * Whether `target` is `folder` or lies under it, after normalising `.` and `..` (no file system access).
 * `/work/ab` is not inside `/work/a`; on Windows another drive, a rooted `\path` resolved on another drive
 * and a UNC path are outside, and case does not matter.
 * @param folder An absolute folder path.
 * @param target An absolute path, or one relative to `folder`.
 * @param platform The path rules (optional; default: those of this machine).
 */
export function isPathInside(folder: string, target: string, platform: PathPlatform = hostPlatform()): boolean {
  const rules = platform === 'win32' ? win32 : posix;
  let root = rules.resolve(folder);
  let candidate = rules.resolve(root, target);
  if (platform === 'win32') {
    root = root.toLowerCase();
    candidate = candidate.toLowerCase();
  }
  return candidate === root || candidate.startsWith(withTrailingSeparator(root, rules.sep));
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The path with every existing part's symbolic links resolved; a missing tail is appended as written.
 * `undefined` when it cannot be told where the path leads (a dangling link, a loop, no permission).
 */
async function realPathOfNearest(path: string, platform: PathPlatform): Promise<string | undefined> {
  const rules = platform === 'win32' ? win32 : posix;
  const tail: string[] = [];
  let current = rules.resolve(path);
  for (;;) {
    try {
      return rules.join(await realpath(current), ...tail);
    } catch (error) {
      if (!isMissing(error)) return undefined;
    }
    // realpath fails on a dangling link as on a missing file; a link that exists would be followed when
    // the file is created, to wherever it points.
    try {
      await lstat(current);
      return undefined;
    } catch (error) {
      if (!isMissing(error)) return undefined;
    }
    const parent = rules.dirname(current);
    if (parent === current) return rules.join(current, ...tail);
    tail.unshift(rules.basename(current));
    current = parent;
  }
}

/**
 * Whether `target` lies inside one of `folders`, both as written and on disk: symbolic links in the target
 * (or in a missing file's existing folders) are followed, and so are the folders' own (a folder opened
 * through a link holds what its real folder holds). A dangling link, a loop or an unreadable path is outside.
 * @param folders Absolute folder paths (e.g. the workspace folders); none means nothing is inside.
 * @param target An absolute path, or one relative to the first folder.
 * @param platform The path rules (optional; default: those of this machine).
 */
export async function isRealPathInside(folders: readonly string[], target: string, platform: PathPlatform = hostPlatform()): Promise<boolean> {
  if (folders.length === 0) return false;
  const rules = platform === 'win32' ? win32 : posix;
  const absolute = rules.resolve(folders[0], target);
  if (!folders.some((folder) => isPathInside(folder, absolute, platform))) return false;
  const real = await realPathOfNearest(absolute, platform);
  if (real === undefined) return false;
  for (const folder of folders) {
    const realFolder = (await realPathOfNearest(folder, platform)) ?? rules.resolve(folder);
    if (isPathInside(realFolder, real, platform)) return true;
  }
  return false;
}

/**
 * Whether a location lies inside one of `folders`: `file` locations by {@link isRealPathInside} (links
 * followed), others (virtual file systems) by their path under a folder of the same scheme and authority.
 * @param target The location to read, e.g. a bibliography's URI.
 * @param folders The workspace folders' URIs.
 */
export async function isLocationInside(target: FileLocation, folders: readonly FileLocation[]): Promise<boolean> {
  if (target.scheme === 'file') {
    return isRealPathInside(folders.filter((folder) => folder.scheme === 'file').map((folder) => folder.fsPath), target.fsPath);
  }
  return folders.some(
    (folder) => folder.scheme === target.scheme && folder.authority.toLowerCase() === target.authority.toLowerCase() && isPathInside(folder.path, target.path, 'posix'),
  );
}
