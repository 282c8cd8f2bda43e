import * as vscode from 'vscode';
import type { ReferenceFinding } from '../../core/references/statuses';
import type { TextEdit } from '../../core/manuscript/citations';
import { findSourceForClaimCommandId } from '../commands/findSourceForClaim';
import { manuscriptLanguageOf } from '../claims/claimsSettings';
import { toWireRange } from '../claims/wire';
import type { BiowriteEnvironment } from '../environment';
import { readSourcesSettings } from '../sources/sourcesSettings';
import type { ManuscriptAudit, ReferencesController } from './referencesController';

/** The quick fixes of the reference audit. */
export type ReferenceFixKind = 'replaceMetadata' | 'updateToPublished' | 'mergeDuplicates' | 'addMissingEntry' | 'removeUnused';

/** The argument of `biowrite.references.applyFix`. */
export interface ReferenceFixArgument {
  readonly kind: ReferenceFixKind;
  readonly manuscript: string;
  readonly key: string;
  /** The audit the fix was offered from: a fix of an older audit is refused. */
  readonly auditId: string;
  /** Apply without the refactor preview (tests; default: the preview shows the diff first). */
  readonly confirm?: boolean;
}

/** The command id, as declared in package.json. */
export const applyReferenceFixCommandId = 'biowrite.references.applyFix';

const kinds: ReadonlySet<string> = new Set<ReferenceFixKind>(['replaceMetadata', 'updateToPublished', 'mergeDuplicates', 'addMissingEntry', 'removeUnused']);

/** Checks a fix argument at run time (commands can be run with anything). */
export function isReferenceFixArgument(value: unknown): value is ReferenceFixArgument {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return typeof fields.kind === 'string' && kinds.has(fields.kind) && typeof fields.manuscript === 'string' && typeof fields.key === 'string' && typeof fields.auditId === 'string';
}

function rangeOf(document: vscode.TextDocument, edit: TextEdit): vscode.Range {
  return new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end));
}

async function documentOf(uri: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
}

/**
 * Applies one quick fix as one workspace edit (one undo), after checking that nothing the audit read
 * has changed since; replacements go through the refactor preview, which shows the diff.
 * @returns `applied`, `stale` (the documents changed: nothing applied), `declined` or `unavailable`.
 */
export async function applyReferenceFix(environment: BiowriteEnvironment, controller: ReferencesController, argument: ReferenceFixArgument): Promise<'applied' | 'stale' | 'declined' | 'unavailable'> {
  const audit = controller.auditOf(argument.manuscript);
  if (!audit || audit.id !== argument.auditId || !controller.isCurrent(audit)) {
    const again = vscode.l10n.t('Check Again');
    void vscode.window.showWarningMessage(vscode.l10n.t('The manuscript or its bibliography changed since the references were checked, so the fix was not applied.'), again).then((choice) => {
      if (choice === again) void vscode.commands.executeCommand('biowrite.auditReferences');
    });
    return 'stale';
  }
  const finding = audit.audit.findings.find((candidate) => candidate.key === argument.key);
  if (!finding) return 'unavailable';
  if (argument.kind === 'addMissingEntry') return addMissingEntry(audit, finding);
  const confirm = argument.confirm ?? (argument.kind === 'replaceMetadata' || argument.kind === 'updateToPublished');
  const edit = await buildEdit(environment, audit, finding, argument.kind, confirm);
  if (typeof edit === 'string') {
    void vscode.window.showErrorMessage(edit);
    return 'unavailable';
  }
  const applied = await vscode.workspace.applyEdit(edit, confirm ? { isRefactoring: true } : undefined);
  return applied ? 'applied' : 'declined';
}

async function buildEdit(environment: BiowriteEnvironment, audit: ManuscriptAudit, finding: ReferenceFinding, kind: Exclude<ReferenceFixKind, 'addMissingEntry'>, confirm: boolean): Promise<vscode.WorkspaceEdit | string> {
  const { findEntrySpan, removeEntryEdit, renameCitationEdits, replaceEntryEdit } = await import('../../core/references/entryEdits');
  const fileOf = (key: string) => {
    const entry = audit.entries.find((candidate) => candidate.key === key);
    const file = entry ? audit.files.find((candidate) => candidate.uri.toString() === entry.file) : undefined;
    return entry && file ? { entry, file } : undefined;
  };
  const own = fileOf(finding.key);
  const edit = new vscode.WorkspaceEdit();
  // An entry that needs confirmation opens the refactor preview, which shows the diff before anything changes.
  const label = (text: string): vscode.WorkspaceEditEntryMetadata => ({ label: text, needsConfirmation: confirm });
  switch (kind) {
    case 'replaceMetadata':
    case 'updateToPublished': {
      if (!own || own.file.format === 'cslyaml') return vscode.l10n.t('Biowrite edits CSL JSON and BibTeX bibliographies; change {0} by hand.', finding.key);
      let record = finding.resolved;
      if (kind === 'updateToPublished') {
        if (!finding.publishedDoi) return vscode.l10n.t('No published version is known for {0}.', finding.key);
        const settings = await readSourcesSettings(environment.context.secrets, environment.log);
        const { CrossrefClient } = await import('../../core/literature/crossrefClient');
        const client = new CrossrefClient({ baseUrl: settings.config.crossref.baseUrl, mailto: settings.config.contactEmail, logger: environment.logRequest });
        try {
          record = (await client.worksByDoi([finding.publishedDoi], AbortSignal.timeout(30_000)))[0];
        } catch (error) {
          return vscode.l10n.t('The published version could not be fetched from Crossref: {0}', error instanceof Error ? error.message : String(error));
        }
        if (!record) return vscode.l10n.t('Crossref does not know doi:{0}; update the entry by hand.', finding.publishedDoi);
      }
      if (!record) return vscode.l10n.t('No resolved record for {0}.', finding.key);
      const planned = replaceEntryEdit(own.file.text, own.file.format, finding.key, record);
      if (!planned) return vscode.l10n.t('The entry {0} was not found in its file.', finding.key);
      const document = await documentOf(own.file.uri.toString());
      edit.replace(document.uri, rangeOf(document, planned), planned.newText, label(kind === 'replaceMetadata' ? vscode.l10n.t('Replace {0} with the resolved metadata', finding.key) : vscode.l10n.t('Update {0} to the published version', finding.key)));
      return edit;
    }
    case 'removeUnused': {
      if (!own || own.file.format === 'cslyaml') return vscode.l10n.t('Biowrite edits CSL JSON and BibTeX bibliographies; remove {0} by hand.', finding.key);
      const planned = removeEntryEdit(own.file.text, own.file.format, finding.key);
      if (!planned) return vscode.l10n.t('The entry {0} was not found in its file.', finding.key);
      const document = await documentOf(own.file.uri.toString());
      edit.replace(document.uri, rangeOf(document, planned), planned.newText);
      return edit;
    }
    case 'mergeDuplicates': {
      const others = finding.duplicateOf ?? [];
      if (others.length === 0) return vscode.l10n.t('{0} has no duplicate.', finding.key);
      const manuscript = await documentOf(audit.manuscript.toString());
      const language = manuscriptLanguageOf(manuscript.languageId) ?? 'markdown';
      for (const planned of renameCitationEdits(manuscript.getText(), language, others, finding.key)) edit.replace(manuscript.uri, rangeOf(manuscript, planned), planned.newText);
      // Removals in one file are computed on its text as read, from the last entry up, so they never overlap.
      const byFile = new Map<string, { file: ManuscriptAudit['files'][number]; keys: string[] }>();
      for (const other of others) {
        const found = fileOf(other);
        if (!found || found.file.format === 'cslyaml') continue;
        const group = byFile.get(found.file.uri.toString()) ?? { file: found.file, keys: [] };
        group.keys.push(other);
        byFile.set(found.file.uri.toString(), group);
      }
      for (const { file, keys } of byFile.values()) {
        const document = await documentOf(file.uri.toString());
        const ordered = keys.map((key) => ({ key, span: findEntrySpan(file.text, file.format, key) })).sort((a, b) => (b.span?.start ?? 0) - (a.span?.start ?? 0));
        let text = file.text;
        for (const { key } of ordered) {
          const planned = removeEntryEdit(text, file.format, key);
          if (!planned) continue;
          text = text.slice(0, planned.start) + planned.newText + text.slice(planned.end);
        }
        edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(file.text.length)), text);
      }
      return edit;
    }
  }
}

async function addMissingEntry(audit: ManuscriptAudit, finding: ReferenceFinding): Promise<'applied' | 'unavailable'> {
  const citation = finding.citations[0];
  if (!citation) return 'unavailable';
  const manuscript = await documentOf(audit.manuscript.toString());
  const { sentenceAt } = await import('../../core/citations/sentenceAt');
  const text = manuscript.getText();
  const span = sentenceAt(text, citation.offset) ?? { start: citation.offset, end: citation.offset + citation.length };
  const range = new vscode.Range(manuscript.positionAt(span.start), manuscript.positionAt(span.end));
  await vscode.commands.executeCommand(findSourceForClaimCommandId, { uri: manuscript.uri.toString(), range: toWireRange(range), sentence: manuscript.getText(range) });
  return 'applied';
}

/**
 * Quick fixes on reference diagnostics, in the manuscript and in the bibliography file.
 */
export class ReferenceCodeActionProvider implements vscode.CodeActionProvider {
  /** The kinds this provider returns. */
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  /** @param controller Knows the audits behind the diagnostics. */
  constructor(private readonly controller: ReferencesController) {}

  /** Offers the fixes for each reference diagnostic in the range. */
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const audit = this.controller.auditOf(document.uri);
    if (!audit) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (typeof diagnostic.code !== 'string' || !diagnostic.code.startsWith('reference-')) continue;
      const finding = this.findingAt(audit, document, diagnostic.range);
      if (!finding) continue;
      const offer = (kind: ReferenceFixKind, title: string, preferred = false): void => {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        const argument: ReferenceFixArgument = { kind, manuscript: audit.manuscript.toString(), key: finding.key, auditId: audit.id };
        action.command = { command: applyReferenceFixCommandId, title, arguments: [argument] };
        action.diagnostics = [diagnostic];
        action.isPreferred = preferred;
        actions.push(action);
      };
      const statuses = new Set(finding.statuses);
      if (statuses.has('preprint-published') && finding.publishedDoi) offer('updateToPublished', vscode.l10n.t('Update {0} to the published version (doi:{1})', finding.key, finding.publishedDoi), true);
      if ((statuses.has('metadata-mismatch') || (statuses.has('not-found') && finding.resolved)) && finding.resolved && finding.entry) offer('replaceMetadata', vscode.l10n.t('Replace {0} with the resolved metadata…', finding.key), !statuses.has('preprint-published'));
      if (statuses.has('duplicate') && finding.duplicateOf?.length) offer('mergeDuplicates', vscode.l10n.t('Merge duplicates into {0} (cite it instead of {1})', finding.key, finding.duplicateOf.join(', ')));
      if (statuses.has('undefined')) offer('addMissingEntry', vscode.l10n.t('Add the missing entry: find a source for {0}', finding.key), true);
      if (statuses.has('unused') && finding.entry) offer('removeUnused', vscode.l10n.t('Remove the unused entry {0}', finding.key));
    }
    return actions;
  }

  private findingAt(audit: ManuscriptAudit, document: vscode.TextDocument, range: vscode.Range): ReferenceFinding | undefined {
    const offset = document.offsetAt(range.start);
    const uri = document.uri.toString();
    return audit.audit.findings.find((finding) =>
      uri === audit.manuscript.toString() ? finding.citations.some((citation) => citation.offset === offset) : finding.entry?.file === uri && finding.entry.offset === offset,
    );
  }
}

/**
 * Hovers on citation keys: the reference's status, what to do, and the record the services returned.
 */
export class ReferenceHoverProvider implements vscode.HoverProvider {
  /** @param controller Knows the audits. */
  constructor(private readonly controller: ReferencesController) {}

  /** The hover of the citation key under the cursor, if the manuscript was audited. */
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const audit = this.controller.auditOf(document.uri);
    if (!audit || audit.manuscript.toString() !== document.uri.toString() || audit.manuscriptVersion !== document.version) return undefined;
    const offset = document.offsetAt(position);
    for (const finding of audit.audit.findings) {
      const citation = finding.citations.find((candidate) => offset >= candidate.offset && offset <= candidate.offset + candidate.length);
      if (!citation) continue;
      // Everything here is a service's text or the user's: appended as text, never as Markdown.
      const content = new vscode.MarkdownString();
      content.appendMarkdown('**');
      content.appendText(`${finding.key}: ${finding.statuses.join(', ')}`);
      content.appendMarkdown('**\n\n');
      content.appendText(finding.message);
      const record = finding.resolved;
      if (record) {
        content.appendMarkdown('\n\n---\n\n');
        const authors = record.authors.slice(0, 3).map((author) => author.family ?? author.literal ?? '').join(', ') + (record.authors.length > 3 ? ' et al.' : '');
        content.appendText(`${authors}${record.year ? ` (${record.year})` : ''}. ${record.title}. ${record.containerTitle ?? ''}`.trim());
        const ids = [record.doi ? `doi:${record.doi}` : '', record.pmid ? `PMID ${record.pmid}` : '', record.pmcid ?? ''].filter(Boolean).join(' · ');
        if (ids) {
          content.appendMarkdown('\n\n');
          content.appendText(ids);
        }
      }
      return new vscode.Hover(content, new vscode.Range(document.positionAt(citation.offset), document.positionAt(citation.offset + citation.length)));
    }
    return undefined;
  }
}
