// Types of harness.mjs for the TypeScript end-to-end tests.
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';

/** Where test output (logs, screenshots) goes. */
export declare const resultsDir: string;
/** Chromium's flags for a headless, quiet, offline run. */
export declare const chromiumArgs: readonly string[];

/** A running VS Code server. */
export interface RunningServer {
  readonly port: number;
  readonly url: string;
  readonly userDataDir: string;
  readonly serverDataDir: string;
  readonly extensionsDir: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Options of `startServer`. */
export interface StartServerOptions {
  readonly env?: Record<string, string>;
  readonly smokeTestDriver?: boolean;
  readonly trusted?: boolean;
  readonly logFile?: string;
  readonly keepData?: boolean;
  readonly dataRoot?: string;
  readonly port?: number;
  /** The display language (a VS Code language id such as `ko`): `--locale` plus a placeholder language pack. */
  readonly locale?: string;
}

/** Finds a free TCP port on 127.0.0.1. */
export declare function findFreePort(): Promise<number>;
/** A fresh temporary folder; removed on exit unless `keep`. */
export declare function makeTempDir(prefix: string, options?: { keep?: boolean }): string;
/** Copies samples/ to a fresh temporary folder. */
export declare function copySampleWorkspace(): string;
/** Registers an empty language pack for `locale` in the server's user data folder; returns the languagepacks.json written. */
export declare function writePlaceholderLanguagePack(userDataDir: string, locale: string): string;
/** Starts the cached VS Code server on a free port with fresh data folders. */
export declare function startServer(options?: StartServerOptions): Promise<RunningServer>;
/** The Chromium to drive. */
export declare function chromiumPath(): string;
/** Launches headless Chromium through playwright-core. */
export declare function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }>;
/** The workbench URL opening `folder` with the extension under development (and a suite) loaded. */
export declare function workbenchUrl(options: { port: number; folder: string; extensionDevelopmentPath?: string; extensionTestsPath?: string; openFile?: string }): string;
