import * as vscode from 'vscode';
import { LineIndex } from '../../core/manuscript/lineIndex';
import { languageName, publishingLanguages } from '../../core/writing/abstractStructures';
import { parseGlossary, type GlossaryEntry } from '../../core/writing/glossary';
import { summarizeTranslation, translateManuscript, type TranslationResult } from '../../core/writing/translateManuscript';
import type { GroundingIssue } from '../../shared/protocol';
import type { EditorSnapshot } from '../editorSnapshot';
import type { BiowriteEnvironment } from '../environment';
import { mayReadWorkspaceFile } from '../workspaceContainment';
import { formatOfDocument } from './documentFormat';
import { withCancellableProgress, type DraftSession, type DraftSessions } from './draftSessions';
import { checkPrivacy, type PresetPrivacyDecision } from './privacyGate';
import type { ProposalDocuments } from './proposals';

/** Options that skip the questions (tests, scripts); each one not given is asked or read from settings. */
export interface TranslateArgs {
  /** Target language code, e.g. `fr`, or `en` for English (optional). */
  readonly targetLanguage?: string;
  /** Source language code (optional; default: detected by the model). */
  readonly sourceLanguage?: string;
  /** The answer to the identifier dialog, if it comes up (optional). */
  readonly privacy?: PresetPrivacyDecision;
}

/** What a translate command resolves to, for tests and scripts. */
export interface TranslateCommandResult {
  readonly draftId: string;
  readonly text: string;
  readonly issues: readonly GroundingIssue[];
  readonly cancelled: boolean;
  readonly protectedSpans: number;
  readonly retries: number;
  readonly chunksKept: number;
  readonly totalTokens: number;
}

async function pickTargetLanguage(): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { code?: string })[] = Object.entries(publishingLanguages).map(([code, name]) => ({
    label: name,
    description: code,
    detail: code === 'en' ? vscode.l10n.t('Into English, from any language') : undefined,
    code,
  }));
  items.push({ label: vscode.l10n.t('Other language code…') });
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Translate into'), placeHolder: vscode.l10n.t('Pick the target language') });
  if (!picked) return undefined;
  if (picked.code) return picked.code;
  return vscode.window.showInputBox({ title: vscode.l10n.t('Target language'), prompt: vscode.l10n.t('A language code such as “sv” or “pt-BR”, or a language name'), validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Enter a language.') : undefined) });
}

/**
 * Reads the workspace glossary named by `biowrite.translation.glossaryFile` (relative to the document's
 * workspace folder). A missing file means no glossary; a broken one is an error, since the glossary must
 * always apply; so is one that leads out of the workspace in Restricted Mode.
 */
async function readGlossary(document: vscode.TextDocument, target: string, environment: BiowriteEnvironment): Promise<readonly GlossaryEntry[]> {
  const setting = vscode.workspace.getConfiguration('biowrite.translation', document.uri).get<string>('glossaryFile', '.biowrite/glossary.json').trim();
  if (setting === '') return [];
  const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const absolute = /^([a-zA-Z]:[\\/]|\/)/.test(setting);
  const uri = absolute ? vscode.Uri.file(setting) : folder ? vscode.Uri.joinPath(folder.uri, setting) : undefined;
  if (!uri) return [];
  // In Restricted Mode an absolute path comes from user settings only (`restrictedConfigurations`); a
  // relative one is resolved in the workspace, where a link may lead anywhere.
  if (!absolute && !(await mayReadWorkspaceFile(uri))) {
    throw new Error(vscode.l10n.t('{0} leads outside the workspace, so Biowrite does not read it in Restricted Mode. Trust the workspace to read it.', setting));
  }
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    environment.log.info('translate: no glossary file');
    return [];
  }
  const parsed = parseGlossary(new TextDecoder().decode(bytes), uri.path, target);
  if (parsed.warnings.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('Glossary: {0}', parsed.warnings.slice(0, 3).join(' ')));
  return parsed.entries;
}

/**
 * Translates the selection or the whole document: streams the chunks into the panel, then shows the result
 * in a diff view; the user accepts (one undoable edit, only if the document did not change) or discards.
 * @param environment The shared environment.
 * @param sessions The drafts awaiting a decision.
 * @param proposals The proposal documents for diff views.
 * @param scope The selection or the whole document.
 * @param commandId The command, for "run again".
 * @param invokedOn The active editor when the command was invoked, or `undefined` when there was none.
 * @param rawArgs Options given by a caller (optional).
 * @returns The translation, or `undefined` when nothing was done.
 */
export async function runTranslation(
  environment: BiowriteEnvironment,
  sessions: DraftSessions,
  proposals: ProposalDocuments,
  scope: 'selection' | 'document',
  commandId: string,
  invokedOn: EditorSnapshot | undefined,
  rawArgs?: unknown,
): Promise<TranslateCommandResult | undefined> {
  const args: TranslateArgs = typeof rawArgs === 'object' && rawArgs !== null && !(rawArgs instanceof vscode.Uri) ? (rawArgs as TranslateArgs) : {};
  if (!invokedOn) {
    environment.log.info('translate: no active editor');
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a manuscript (Markdown or LaTeX) to translate it.'));
    return undefined;
  }
  const { editor, selection, text: full, version: documentVersion } = invokedOn;
  const document = editor.document;
  if (scope === 'selection' && selection.isEmpty) {
    environment.log.info('translate: the selection is empty');
    void vscode.window.showInformationMessage(vscode.l10n.t('Select the text to translate, or use “Translate Document…”.'));
    return undefined;
  }
  // The text, offsets and version the result applies to are those of the invocation: the module load
  // and the questions below take time in which the document may change.
  const lines = new LineIndex(full);
  const rangeStart = scope === 'selection' ? lines.offsetAt(selection.start) : 0;
  const rangeEnd = scope === 'selection' ? lines.offsetAt(selection.end) : full.length;
  const source = full.slice(rangeStart, rangeEnd);
  const endOfText = lines.positionAt(full.length);
  const range = scope === 'selection' ? new vscode.Range(selection.start, selection.end) : new vscode.Range(0, 0, endOfText.line, endOfText.character);
  const configured = vscode.workspace.getConfiguration('biowrite.translation', document.uri).get<string>('targetLanguage', '').trim();
  const target = args.targetLanguage ?? (configured !== '' ? configured : await pickTargetLanguage());
  if (!target) {
    environment.log.info('translate: no target language picked');
    return undefined;
  }

  let glossary: readonly GlossaryEntry[];
  try {
    glossary = await readGlossary(document, target, environment);
  } catch (error) {
    environment.log.warn('translate: the glossary could not be read');
    void vscode.window.showErrorMessage(vscode.l10n.t('The glossary could not be read: {0}', error instanceof Error ? error.message : String(error)));
    return undefined;
  }

  const privacy = await checkPrivacy(environment, source, args.privacy);
  if (!privacy) {
    environment.log.info('translate: cancelled at the privacy check');
    return undefined;
  }
  let client;
  try {
    client = await environment.getLlmClient();
  } catch (error) {
    environment.log.warn('translate: no language model client');
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return undefined;
  }

  const id = `translate-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  const controller = new AbortController();
  const session: DraftSession = { id, kind: 'translation', documentUri: document.uri, documentVersion, controller, rerun: () => vscode.commands.executeCommand(commandId, { ...args, targetLanguage: target }) };
  sessions.add(session);
  const name = document.uri.path.split('/').pop() ?? '';
  environment.panel.post({ type: 'draftStarted', requestId: id, kind: 'translation', title: vscode.l10n.t('Translation of {0} into {1}', scope === 'selection' ? vscode.l10n.t('the selection') : name, languageName(target)) });
  void environment.panel.reveal();
  const started = Date.now();
  let lastPreview = 0;
  let result: TranslationResult;
  try {
    result = await withCancellableProgress(vscode.l10n.t('Translating into {0}', languageName(target)), controller, (report) =>
      translateManuscript({
        client,
        source,
        format: formatOfDocument(document),
        targetLanguage: target,
        ...(args.sourceLanguage ? { sourceLanguage: args.sourceLanguage } : {}),
        glossary,
        // Redacted identifiers are frozen like markup: never sent, and back as written.
        ...(privacy.action === 'redact' ? { extraProtected: privacy.findings.map((finding) => ({ start: finding.start, end: finding.end, kind: 'identifier' as const })) } : {}),
        signal: controller.signal,
        onEvent: (event) => {
          switch (event.kind) {
            case 'chunkStart':
              report(vscode.l10n.t('Part {0} of {1}', event.index + 1, event.total));
              break;
            case 'delta':
              environment.panel.post({ type: 'draftDelta', requestId: id, text: event.text });
              break;
            case 'chunkRetry':
              report(vscode.l10n.t('Part {0}: the model broke protected markup, retrying', event.index + 1));
              break;
            case 'chunkDone':
              // The whole preview is resent at most a few times a second: a long manuscript has hundreds of chunks.
              if (Date.now() - lastPreview >= 500) {
                lastPreview = Date.now();
                environment.panel.post({ type: 'draftDelta', requestId: id, text: event.preview, replace: true });
              }
              break;
            default: {
              const _exhaustive: never = event;
              void _exhaustive;
            }
          }
        },
      }),
    );
  } catch (error) {
    await sessions.fail(id, 'translate', error, started, (message) => vscode.l10n.t('The translation failed and nothing was changed: {0}', message));
    return undefined;
  }
  environment.log.info(`translate: ${result.cancelled ? 'stopped' : 'done'} in ${Date.now() - started} ms, ${result.chunksSent} chunks, ${result.retries} retries, ${result.usage.totalTokens} tokens`);

  const canAccept = !result.cancelled && result.text !== source;
  if (canAccept) {
    session.edit = { range, text: result.text };
    const proposed = full.slice(0, rangeStart) + result.text + full.slice(rangeEnd);
    session.proposalUri = proposals.set(id, document.uri, proposed);
    await vscode.commands.executeCommand('vscode.diff', document.uri, session.proposalUri, vscode.l10n.t('{0}: current ↔ {1}', name, languageName(target)), { preview: true });
  }
  const summary = [
    vscode.l10n.t('{0} protected spans (citations, math, code, links…) kept byte-identical', result.spans.length),
    result.repairs > 0 ? vscode.l10n.t('{0} placeholder repairs', result.repairs) : '',
    result.retries > 0 ? vscode.l10n.t('{0} retries', result.retries) : '',
    result.chunksKept > 0 ? vscode.l10n.t('{0} parts kept untranslated', result.chunksKept) : '',
    vscode.l10n.t('{0} tokens used', result.usage.totalTokens),
  ]
    .filter(Boolean)
    .join(' · ');
  environment.panel.post({ type: 'draftDone', requestId: id, text: result.text, wordCount: 0, issues: result.issues, tokens: result.usage.totalTokens, cancelled: result.cancelled, canAccept, summary });
  // The core's summary names why each part was kept (markup, echoed instructions, length limit, empty).
  const note = result.kept.length > 0 ? ` ${summarizeTranslation(result)}` : '';
  await sessions.offer(id, canAccept, vscode.l10n.t('The translation is ready in the diff view.{0}', note));
  return {
    draftId: id,
    text: result.text,
    issues: result.issues,
    cancelled: result.cancelled,
    protectedSpans: result.spans.length,
    retries: result.retries,
    chunksKept: result.chunksKept,
    totalTokens: result.usage.totalTokens,
  };
}
