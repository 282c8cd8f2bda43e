import type * as vscode from 'vscode';
import { createEnvironment } from './vscode/createEnvironment';
import { registerConnection } from './vscode/connection/registerConnection';
import { registerClaims } from './vscode/claims/registerClaims';
import { registerSources } from './vscode/sources/registerSources';
import { registerWriting } from './vscode/writing/registerWriting';
import { registerReferences } from './vscode/references/registerReferences';

/**
 * Wires Biowrite's features and returns: nothing heavy happens here.
 * Every registration is pushed to `context.subscriptions` by the feature that makes it.
 */
export function activate(context: vscode.ExtensionContext): void {
  const environment = createEnvironment(context);
  registerConnection(environment);
  registerClaims(environment);
  registerSources(environment);
  registerWriting(environment);
  registerReferences(environment);
}

/** Everything is disposed through `context.subscriptions`. */
export function deactivate(): void {}
