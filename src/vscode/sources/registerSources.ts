import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { registerFindSourcesCommand } from '../commands/findSources';
import { registerSearchLiteratureCommand } from '../commands/searchLiterature';
import { registerSetOpenAlexApiKeyCommand } from '../commands/setOpenAlexApiKey';
import { registerSetPubmedApiKeyCommand } from '../commands/setPubmedApiKey';
import { SourcesController } from './sourcesController';

/**
 * Wires literature search: the four commands (Zotero's picker included) and the panel's result actions (insert, copy, open, stop).
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
    registerSetOpenAlexApiKeyCommand(environment.context.secrets),
    vscode.commands.registerCommand('biowrite.citeFromZotero', () => controller.citeFromZotero()),
    ...controller.registerPanelHandlers(),
    // Internal (not in the palette): the panel's actions for keybindings and tests, and what a search showed.
    vscode.commands.registerCommand('biowrite.sources.insertResult', (searchId: unknown, resultId: unknown) =>
      typeof searchId === 'string' && typeof resultId === 'string' ? controller.insert(searchId, resultId) : 'refused',
    ),
    vscode.commands.registerCommand('biowrite.sources.copyResult', (searchId: unknown, resultId: unknown, style: unknown) =>
      typeof searchId === 'string' && typeof resultId === 'string' ? controller.copyReference(searchId, resultId, style === 'apa' ? 'apa' : 'vancouver') : undefined,
    ),
    vscode.commands.registerCommand('biowrite.sources.openResult', (searchId: unknown, resultId: unknown, target: unknown) =>
      typeof searchId === 'string' && typeof resultId === 'string' && (target === 'pubmed' || target === 'doi' || target === 'pmc') ? controller.openResult(searchId, resultId, target) : undefined,
    ),
    vscode.commands.registerCommand('biowrite.sources.searchMessages', (searchId: unknown) => (typeof searchId === 'string' ? controller.messagesOf(searchId) : [])),
    vscode.commands.registerCommand('biowrite.sources.abstractsFetched', async (uri: unknown) => {
      const document = typeof uri === 'string' ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) : undefined;
      await controller.abstractsFetched(document);
    }),
  );
  return controller;
}
