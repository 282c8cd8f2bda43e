/**
 * Response caches for the literature services, so the same query is not sent twice.
 *
 * Keys are a SHA-256 of the service and the request URL without secrets (see `normaliseRequestUrl`),
 * so API keys and e-mail addresses never reach the disk. Entries expire after a TTL; writes are atomic
 * (temporary file, then rename); a damaged entry reads as a miss and is removed; the directory is kept
 * under a size cap by evicting the least recently written entries.
 *
 * The entries reveal what the user searched for, so the directory is private to its owner (0700) and
 * each entry too (0600); temporary files a crash left behind are removed when the cache is first used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Age after which a temporary file is taken for a crashed writer's (a live write takes milliseconds). */
const STALE_TEMPORARY_MS = 10 * 60_000;

/** Where clients look up and store raw response bodies. */
export interface ResponseCache {
  /**
   * The stored body, or `undefined` on a miss (absent, expired or damaged).
   * @param service The service name, e.g. `pubmed`.
   * @param requestKey The normalised request URL (no secrets).
   */
  get(service: string, requestKey: string): Promise<string | undefined>;
  /**
   * Stores a body; failures to write are swallowed (a cache is never a reason for a search to fail).
   * @param service The service name.
   * @param requestKey The normalised request URL (no secrets).
   * @param body The response body.
   */
  set(service: string, requestKey: string, body: string): Promise<void>;
}

/** Options of {@link DiskCache}. */
export interface DiskCacheOptions {
  /**
   * The directory (created when missing); the extension passes a folder in `globalStorageUri`. It is made
   * private to its owner (0700) on first use, so it should be one that holds only the cache.
   */
  readonly directory: string;
  /** How long an entry stays valid (optional; default: 7 days). */
  readonly ttlMs?: number;
  /** Total size of the entries before the oldest are evicted (optional; default: 50 MB). */
  readonly maxBytes?: number;
  /** Number of entries before the oldest are evicted (optional; default: 2000). */
  readonly maxEntries?: number;
  /** Wall-clock time in ms (optional; default: `Date.now`). */
  readonly now?: () => number;
}

interface StoredEntry {
  readonly v: 1;
  readonly service: string;
  readonly storedAt: number;
  readonly body: string;
}

/**
 * The file name of a cache entry: a hash of the service and the request key.
 * @param service The service name.
 * @param requestKey The normalised request URL.
 */
export function cacheFileName(service: string, requestKey: string): string {
  return `${service}-${createHash('sha256').update(`${service}\n${requestKey}`).digest('hex').slice(0, 40)}.json`;
}

/** An on-disk {@link ResponseCache}. */
export class DiskCache implements ResponseCache {
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private ready: Promise<void> | undefined;
  private writesSinceEviction = 0;

  /** @param options Directory, TTL and size caps. */
  constructor(readonly options: DiskCacheOptions) {
    this.ttlMs = options.ttlMs ?? 7 * 24 * 3600 * 1000;
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    this.maxEntries = options.maxEntries ?? 2000;
    this.now = options.now ?? Date.now;
  }

  /** @inheritdoc */
  async get(service: string, requestKey: string): Promise<string | undefined> {
    await this.prepare().catch(() => undefined);
    const path = join(this.options.directory, cacheFileName(service, requestKey));
    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(raw) as Partial<StoredEntry>;
      if (entry.v !== 1 || entry.service !== service || typeof entry.body !== 'string' || typeof entry.storedAt !== 'number') throw new Error('damaged');
      if (this.now() - entry.storedAt > this.ttlMs || entry.storedAt > this.now() + 60_000) {
        await unlink(path).catch(() => undefined);
        return undefined;
      }
      return entry.body;
    } catch {
      await unlink(path).catch(() => undefined);
      return undefined;
    }
  }

  /** @inheritdoc */
  async set(service: string, requestKey: string, body: string): Promise<void> {
    try {
      await this.prepare();
      const path = join(this.options.directory, cacheFileName(service, requestKey));
      const entry: StoredEntry = { v: 1, service, storedAt: this.now(), body };
      // Unique per process and write; `wx` refuses a name that exists (a link planted there included).
      const temporary = `${path}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, JSON.stringify(entry), { encoding: 'utf8', flag: 'wx', mode: 0o600 });
        await rename(temporary, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(temporary).catch(() => undefined);
        throw error;
      }
      this.writesSinceEviction++;
      if (this.writesSinceEviction >= 20 || Buffer.byteLength(body) > this.maxBytes / 20) {
        this.writesSinceEviction = 0;
        await this.evict();
      }
    } catch {
      // A cache is never a reason for a search to fail; the directory may have been removed, so the next
      // write sets it up again.
      this.ready = undefined;
    }
  }

  /**
   * Sets the directory up once: creates it private (0700), makes an existing one owned by this user
   * private too, and removes temporary files older than 10 minutes. A failure is retried on the next call.
   */
  private prepare(): Promise<void> {
    this.ready ??= this.open().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async open(): Promise<void> {
    const directory = this.options.directory;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') {
      const info = await stat(directory);
      const uid = process.getuid?.();
      if ((info.mode & 0o077) !== 0 && uid !== undefined && info.uid === uid) await chmod(directory, 0o700);
    }
    await this.removeStaleTemporaryFiles();
  }

  private async removeStaleTemporaryFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.options.directory);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.endsWith('.tmp')) continue;
      const path = join(this.options.directory, name);
      try {
        if (this.now() - (await stat(path)).mtimeMs > STALE_TEMPORARY_MS) await unlink(path);
      } catch {
        // Renamed or removed by its writer meanwhile.
      }
    }
  }

  /** Removes expired entries, stale temporary files, then the oldest entries until under both caps. */
  async evict(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.options.directory);
    } catch {
      return;
    }
    const entries: { path: string; size: number; mtime: number }[] = [];
    for (const name of names) {
      const path = join(this.options.directory, name);
      try {
        const info = await stat(path);
        if (name.endsWith('.tmp')) {
          if (this.now() - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(path).catch(() => undefined);
          continue;
        }
        if (!name.endsWith('.json')) continue;
        if (this.now() - info.mtimeMs > this.ttlMs) {
          await unlink(path).catch(() => undefined);
          continue;
        }
        entries.push({ path, size: info.size, mtime: info.mtimeMs });
      } catch {
        // Removed by another process meanwhile.
      }
    }
    entries.sort((a, b) => a.mtime - b.mtime);
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    let count = entries.length;
    for (const entry of entries) {
      if (total <= this.maxBytes && count <= this.maxEntries) break;
      await unlink(entry.path).catch(() => undefined);
      total -= entry.size;
      count--;
    }
  }
}

/** An in-memory {@link ResponseCache} (for the CLI without a cache directory, and tests). */
export class MemoryCache implements ResponseCache {
  private readonly entries = new Map<string, { body: string; storedAt: number }>();

  /**
   * @param ttlMs How long an entry stays valid (optional; default: 1 hour).
   * @param now Wall-clock time in ms (optional; default: `Date.now`).
   */
  constructor(
    private readonly ttlMs = 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** @inheritdoc */
  async get(service: string, requestKey: string): Promise<string | undefined> {
    const entry = this.entries.get(cacheFileName(service, requestKey));
    if (!entry || this.now() - entry.storedAt > this.ttlMs) return undefined;
    return entry.body;
  }

  /** @inheritdoc */
  async set(service: string, requestKey: string, body: string): Promise<void> {
    this.entries.set(cacheFileName(service, requestKey), { body, storedAt: this.now() });
  }
}
