/**
 * Helpers for the online literature tests: a virtual clock (sleeps advance time at once, so backoff and
 * rate limits are checked by their spacing, never by wall time), client options on that clock, and the
 * paths of the recorded responses and fixtures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestLogEntry } from '../../../src/core/llm/types';
import type { ClientCommonOptions } from '../../../src/core/literature/client';
import { RateLimiter, type Clock } from '../../../src/core/literature/http';
import { after, before, beforeEach } from 'node:test';
import { literatureDataDirs, startFakeLiteratureServers, type FakeLiteratureServers } from '../../fakes/fakeLiteratureServers';

/**
 * A clock whose sleeps complete without waiting: pending sleeps fire one at a time, earliest first, each
 * once the pending microtasks have run (on `setImmediate`), and virtual time jumps to its wake time.
 * Every requested delay is recorded.
 */
export class VirtualClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  private readonly timers: { at: number; seq: number; resolve: () => void }[] = [];
  private scheduled = false;
  private seq = 0;

  /** @inheritdoc */
  now(): number {
    return this.time;
  }

  /** @inheritdoc */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve: () => resolve() };
      this.timers.push(timer);
      signal.addEventListener(
        'abort',
        () => {
          const index = this.timers.indexOf(timer);
          if (index >= 0) this.timers.splice(index, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (next) {
        this.time = Math.max(this.time, next.at);
        next.resolve();
      }
      if (this.timers.length > 0) this.schedule();
    });
  }
}

/** Client options on a virtual clock, with a fast limiter, fixed jitter and a log collector. */
export function testClientOptions(overrides: Partial<Omit<ClientCommonOptions, 'clock'>> = {}): ClientCommonOptions & { clock: VirtualClock; log: RequestLogEntry[] } {
  const clock = new VirtualClock();
  const log: RequestLogEntry[] = [];
  return {
    clock,
    log,
    limiter: new RateLimiter({ requestsPerSecond: 1000, clock }),
    random: () => 0.5,
    logger: (entry) => log.push(entry),
    timeoutMs: 5000,
    ...overrides,
  };
}

const dirs = literatureDataDirs();

/** The recorded response at `api/<path>`, or `undefined` when ../shared is absent. */
export function recorded(path: string): string | undefined {
  const full = join(dirs.recordedDir, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

/** True when the recorded responses are available. */
export const haveRecordedData = existsSync(join(dirs.recordedDir, 'pubmed'));

/** Skip message for tests that need ../shared. */
export const recordedSkip = haveRecordedData ? false : 'recorded responses in ../shared/data/api are absent';

/** A fixture from test/fixtures/literature. */
export function fixture(name: string): string {
  return readFileSync(join(dirs.fixturesDir, name), 'utf8');
}

/**
 * Starts the fake literature servers before a test file's tests and closes them after; every test
 * starts with no faults queued. Call at the top level of the file.
 * @returns The running servers (valid inside tests and hooks).
 */
export function useFakeLiteratureServers(): () => FakeLiteratureServers {
  let servers: FakeLiteratureServers | undefined;
  before(async () => {
    servers = await startFakeLiteratureServers();
  });
  after(async () => {
    await servers?.close();
  });
  beforeEach(() => servers?.clearFaults());
  return () => {
    if (!servers) throw new Error('The fake literature servers are not running: use them inside a test.');
    return servers;
  };
}
