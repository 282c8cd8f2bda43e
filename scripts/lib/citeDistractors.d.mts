/** The number of distractors the in-situ training mixes in. */
export declare const DEFAULT_DISTRACTORS: number;
/** `count` CSL entries of the other sets' libraries, none sharing an id or DOI with `own`. */
export declare function distractorsFor(root: string, name: string, own: readonly { id?: string; DOI?: string }[], count: number): Record<string, unknown>[];
