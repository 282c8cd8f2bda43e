// Types of vscodeServer.mjs for TypeScript callers.
/** The repository root. */
export declare const repoRoot: string;
/** Versions of the cached server. */
export declare const serverVersions: { readonly codeServer: string; readonly node: string };
/** Where the cache lives. */
export declare const cacheRoot: string;
/** The Node 24 folder. */
export declare const nodeDir: string;
/** The Node 24 binary. */
export declare const nodeBinary: string;
/** The code-server package folder. */
export declare const codeServerDir: string;
/** VS Code's server entry point. */
export declare const serverMain: string;
/** Whether the cache holds a complete install. */
export declare function isServerInstalled(): boolean;
/** Installs the server into the cache unless present; returns the seconds it took. */
export declare function ensureServerInstalled(options?: { log?: (line: string) => void }): number;
