import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { registerFindSourcesCommand } from '../commands/findSources';
import { registerSearchLiteratureCommand } from '../commands/searchLiterature';
import { registerSetPubmedApiKeyCommand } from '../commands/setPubmedApiKey';
import { SourcesController } from './sourcesController';

/**
 * Wires literature search: the three commands and the panel's result actions (insert, copy, open, stop).
 * Cheap at activation: the search, parsers and clients load on first use.
 * @param environment The shared environment.
 */
export function registerSources(environment: BiowriteEnvironment): SourcesController {
  const controller = new SourcesController(environment);
  environment.context.subscriptions.push(
    controller,
    registerFindSourcesCommand(controller),
    registerSearchLiteratureCommand(controller),
    registerSetPubmedApiKeyCommand(environment.context.secrets),
    ...controller.registerPanelHandlers(),
    // Internal (not in the palette): the panel's Insert for keyboard bindings and tests, and what a search showed.
    vscode.commands.registerCommand('biowrite.sources.insertResult', (searchId: unknown, resultId: unknown) =>
      typeof searchId === 'string' && typeof resultId === 'string' ? controller.insert(searchId, resultId) : 'refused',
    ),
    vscode.commands.registerCommand('biowrite.sources.searchMessages', (searchId: unknown) => (typeof searchId === 'string' ? controller.messagesOf(searchId) : [])),
  );
  return controller;
}
