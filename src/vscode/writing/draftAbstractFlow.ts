import * as vscode from 'vscode';
import { LineIndex } from '../../core/manuscript/lineIndex';
import { redactIdentifiers } from '../../core/privacy/identifiers';
import { abstractStructures, findAbstractStructure, languageName, publishingLanguages, suggestedLength, type AbstractStructure } from '../../core/writing/abstractStructures';
import { defaultContextTokens, draftAbstract, type AbstractDraftResult } from '../../core/writing/abstractDraft';
import { findExistingAbstract, planAbstractEdit, selectionIsAbstract, type OffsetRange } from '../../core/writing/abstractPlacement';
import { defaultLengthUnit, type LengthUnit } from '../../core/writing/text';
import type { GroundingIssue } from '../../shared/protocol';
import type { EditorSnapshot } from '../editorSnapshot';
import type { BiowriteEnvironment } from '../environment';
import { formatOfDocument } from './documentFormat';
import { checkPrivacy, type PresetPrivacyDecision } from './privacyGate';
import type { ProposalDocuments } from './proposals';
import { withCancellableProgress, type DraftSession, type DraftSessions } from './draftSessions';

import { draftAbstractCommandId } from '../commands/draftAbstract';

/** Options that skip the questions (tests, scripts, the panel); each one not given is asked or read from settings. */
export interface DraftAbstractArgs {
  /** A structure id such as `imrad`, `consort` or `lancet` (optional). */
  readonly structure?: string;
  /** Word limit (optional). */
  readonly wordLimit?: number;
  /** Language code (optional). */
  readonly language?: string;
  /** Draft from the selection or the whole document (optional; default: asked when there is a selection). */
  readonly scope?: 'selection' | 'document';
  /** The answer to the identifier dialog, if it comes up (optional). */
  readonly privacy?: PresetPrivacyDecision;
}

/** What the command resolves to, for tests and scripts. */
export interface DraftAbstractCommandResult {
  readonly draftId: string;
  readonly text: string;
  readonly wordCount: number;
  readonly issues: readonly GroundingIssue[];
  readonly cancelled: boolean;
  /** Whether accepting inserts a new section or replaces an abstract (through the diff view). */
  readonly mode: 'insert' | 'replace';
  readonly totalTokens: number;
}

function isArgs(value: unknown): value is DraftAbstractArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);
}

async function pickStructure(defaultId: string): Promise<AbstractStructure | undefined> {
  const items = abstractStructures.map((structure) => ({
    label: structure.label,
    description: structure.defaultLength && structure.defaultLength.unit !== 'words' ? vscode.l10n.t('{0} characters', structure.defaultLength.limit) : vscode.l10n.t('{0} words', structure.defaultWordLimit),
    detail: structure.description,
    picked: structure.id === defaultId,
    structure,
  }));
  items.sort((a, b) => Number(b.picked) - Number(a.picked));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Draft Abstract: structure'), placeHolder: vscode.l10n.t('How should the abstract be structured?') });
  return picked?.structure;
}

async function pickLanguage(defaultCode: string): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { code?: string })[] = Object.entries(publishingLanguages).map(([code, name]) => ({ label: name, description: code, code }));
  items.sort((a, b) => Number(b.code === defaultCode) - Number(a.code === defaultCode));
  items.push({ label: vscode.l10n.t('Other language code…') });
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Draft Abstract: language'), placeHolder: languageName(defaultCode) });
  if (!picked) return undefined;
  if (picked.code) return picked.code;
  return vscode.window.showInputBox({ title: vscode.l10n.t('Language code'), prompt: vscode.l10n.t('A language code such as “sv” or “pt-BR”, or a language name'), validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Enter a language.') : undefined) });
}

/**
 * Runs Draft Abstract: picks the structure and language, checks privacy, streams the draft to the panel
 * and offers it as a diff. Loaded on the command's first use (see commands/draftAbstract.ts).
 * @param environment The shared environment.
 * @param sessions The drafts awaiting a decision.
 * @param proposals The proposal documents for diff views.
 * @param invokedOn The active editor when the command was invoked, or `undefined` when there was none.
 * @param rawArgs The command's argument (optional; tests pass {@link DraftAbstractArgs}).
 */
export async function runDraftAbstract(
  environment: BiowriteEnvironment,
  sessions: DraftSessions,
  proposals: ProposalDocuments,
  invokedOn: EditorSnapshot | undefined,
  rawArgs?: unknown,
): Promise<DraftAbstractCommandResult | undefined> {
  {
    const args: DraftAbstractArgs = isArgs(rawArgs) ? rawArgs : {};
    if (!invokedOn) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a manuscript (Markdown or LaTeX) to draft its abstract.'));
      return undefined;
    }
    const { editor, text } = invokedOn;
    const document = editor.document;
    const format = formatOfDocument(document);
    const config = vscode.workspace.getConfiguration('biowrite.abstract', document.uri);
    const configuredStructure = config.get<string>('structure', 'imrad');

    const structure = args.structure !== undefined ? findAbstractStructure(args.structure) : await pickStructure(configuredStructure);
    if (!structure) {
      if (args.structure !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Unknown abstract structure “{0}”.', args.structure));
      return undefined;
    }
    const configuredLimit = config.get<number>('wordLimit', 250);
    const suggestedLimit = structure.id === configuredStructure || ['imrad', 'unstructured'].includes(structure.id) ? configuredLimit : structure.defaultWordLimit;
    // The language decides the unit (Korean journals count 자, Chinese and Japanese ones characters), so it is asked first.
    const language = args.language ?? (await pickLanguage(structure.language ?? config.get<string>('language', 'en')));
    if (!language) return undefined;
    const configuredUnit = config.get<string>('lengthUnit', 'auto');
    const presetUnit = structure.defaultLength && structure.language === language.toLowerCase().split('-')[0] ? structure.defaultLength.unit : undefined;
    const lengthUnit: LengthUnit = configuredUnit === 'words' || configuredUnit === 'characters' || configuredUnit === 'charactersWithSpaces' ? configuredUnit : (presetUnit ?? defaultLengthUnit(language));
    const inCharacters = lengthUnit !== 'words';
    let wordLimit = args.wordLimit;
    if (wordLimit === undefined) {
      const [lowest, highest] = inCharacters ? [100, 5000] : [50, 1000];
      const typed = await vscode.window.showInputBox({
        title: inCharacters ? (lengthUnit === 'characters' ? vscode.l10n.t('Draft Abstract: limit in characters, spaces not counted') : vscode.l10n.t('Draft Abstract: limit in characters, spaces included')) : vscode.l10n.t('Draft Abstract: word limit'),
        value: String(suggestedLength(structure.defaultLength ? structure : { ...structure, defaultWordLimit: suggestedLimit }, language, lengthUnit)),
        validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= lowest && Number(value) <= highest ? undefined : vscode.l10n.t('A whole number from {0} to {1}.', lowest, highest)),
      });
      if (typed === undefined) return undefined;
      wordLimit = Number(typed);
    }

    // What to draft from, and what accepting does: the text and selection of the invocation, whose
    // version an accept checks, since the module load and the questions take time in which the
    // document may change.
    const documentVersion = invokedOn.version;
    const lines = new LineIndex(text);
    const selection: OffsetRange | undefined = invokedOn.selection.isEmpty ? undefined : { start: lines.offsetAt(invokedOn.selection.start), end: lines.offsetAt(invokedOn.selection.end) };
    let source = text;
    let replace: OffsetRange | undefined;
    if (selection && selectionIsAbstract(text, selection, format)) {
      // A selection inside the abstract stands for the whole section, heading included, so it is not duplicated.
      const startsWithHeading = /^\s*(?:#{1,6}[ \t]+Abstract\b|\\begin\{abstract\})/i.test(text.slice(selection.start, selection.end));
      replace = startsWithHeading ? selection : (findExistingAbstract(text, format) ?? selection);
    } else {
      if (selection) {
        const fromSelection = vscode.l10n.t('From the selection');
        const scope =
          args.scope ??
          ((await vscode.window.showQuickPick([fromSelection, vscode.l10n.t('From the whole manuscript')], { title: vscode.l10n.t('Draft Abstract: source') })) === fromSelection
            ? 'selection'
            : 'document');
        if (scope === 'selection') source = text.slice(selection.start, selection.end);
      }
      replace = findExistingAbstract(text, format);
    }

    const privacy = await checkPrivacy(environment, source, args.privacy);
    if (!privacy) return undefined;
    const sent = privacy.action === 'redact' ? redactIdentifiers(source, privacy.findings) : source;

    let client;
    try {
      client = await environment.getLlmClient();
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      return undefined;
    }

    const id = `abstract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    const controller = new AbortController();
    const session: DraftSession = { id, kind: 'abstract', documentUri: document.uri, documentVersion, controller, rerun: () => vscode.commands.executeCommand(draftAbstractCommandId, { ...args, structure: structure.id, wordLimit, language }) };
    sessions.add(session);
    const title = inCharacters ? vscode.l10n.t('Abstract: {0}, {1} characters, {2}', structure.label, wordLimit, languageName(language)) : vscode.l10n.t('Abstract: {0}, {1} words, {2}', structure.label, wordLimit, languageName(language));
    environment.panel.post({ type: 'draftStarted', requestId: id, kind: 'abstract', title, wordLimit, lengthUnit });
    void environment.panel.reveal();
    const started = Date.now();
    let result: AbstractDraftResult;
    try {
      result = await withCancellableProgress(vscode.l10n.t('Drafting the abstract'), controller, (report) =>
        draftAbstract({
          client,
          source: sent,
          manuscript: text,
          format,
          structure,
          wordLimit,
          lengthUnit,
          language,
          contextTokens: config.get<number>('contextTokens', defaultContextTokens),
          signal: controller.signal,
          onEvent: (event) => {
            switch (event.kind) {
              case 'condensing':
                report(vscode.l10n.t('Condensing “{0}” ({1} of {2})…', event.section, event.index + 1, event.total));
                break;
              case 'delta':
                environment.panel.post({ type: 'draftDelta', requestId: id, text: event.text });
                break;
              case 'checking':
                report(vscode.l10n.t('Checking the draft against the manuscript…'));
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
      await sessions.fail(id, 'abstract', error, started, (message) => vscode.l10n.t('The abstract could not be drafted: {0}', message));
      return undefined;
    }
    environment.log.info(`abstract: ${result.cancelled ? 'stopped' : 'done'} in ${Date.now() - started} ms, ${result.usage.totalTokens} tokens, ${result.sectionsCondensed} sections condensed`);

    const mode = replace ? 'replace' : 'insert';
    const canAccept = !result.cancelled && result.text.trim() !== '';
    if (canAccept) {
      const planned = planAbstractEdit(text, result.text, format, replace);
      const from = lines.positionAt(planned.start);
      const to = lines.positionAt(planned.end);
      const range = new vscode.Range(from.line, from.character, to.line, to.character);
      session.edit = { range, text: planned.text };
      if (replace) {
        const proposed = text.slice(0, planned.start) + planned.text + text.slice(planned.end);
        const proposalUri = proposals.set(id, document.uri, proposed);
        session.proposalUri = proposalUri;
        await vscode.commands.executeCommand('vscode.diff', document.uri, proposalUri, vscode.l10n.t('Abstract: current ↔ proposed'), { preview: true });
      }
    }
    const summary = [
      vscode.l10n.t('{0} tokens used', result.usage.totalTokens),
      result.sectionsCondensed > 0 ? vscode.l10n.t('{0} sections condensed to fit the context', result.sectionsCondensed) : '',
      result.groundingMethod === 'llm'
        ? vscode.l10n.t('statements checked by the model')
        : result.groundingMethod === 'lexical'
          ? vscode.l10n.t('statements checked by word overlap: {0}', result.groundingFallbackReason ?? '')
          : '',
      canAccept ? (mode === 'replace' ? vscode.l10n.t('Accept replaces the abstract shown in the diff') : vscode.l10n.t('Accept inserts a new Abstract section')) : '',
    ]
      .filter(Boolean)
      .join(' · ');
    environment.panel.post({ type: 'draftDone', requestId: id, text: result.text, wordCount: result.wordCount, issues: result.issues, tokens: result.usage.totalTokens, cancelled: result.cancelled, canAccept, summary });
    await sessions.offer(id, canAccept, inCharacters ? vscode.l10n.t('The abstract draft is ready ({0}/{1} characters, {2} issues).', result.wordCount, wordLimit, result.issues.length) : vscode.l10n.t('The abstract draft is ready ({0}/{1} words, {2} issues).', result.wordCount, wordLimit, result.issues.length));
    return { draftId: id, text: result.text, wordCount: result.wordCount, issues: result.issues, cancelled: result.cancelled, mode, totalTokens: result.usage.totalTokens };
  }
}
