import type { BiowriteEnvironment } from '../environment';

/** Placeholder: replaced by the feature's real registration. */
export function registerSources(_environment: BiowriteEnvironment): void {}
