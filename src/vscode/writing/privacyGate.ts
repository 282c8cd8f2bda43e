import * as vscode from 'vscode';
import { privacyCheckRequired } from '../../core/privacy/endpoint';
import { findIdentifiers, summariseFindings, type IdentifierFinding } from '../../core/privacy/identifiers';
import { endpointHost, readApplicationSetting } from '../config';
import type { BiowriteEnvironment } from '../environment';

/** What the user decided about likely identifiers: send as is, redact, or (undefined) cancel. */
export type PrivacyDecision = { readonly action: 'send' } | { readonly action: 'redact'; readonly findings: readonly IdentifierFinding[] };

/** A decision given in advance (tests and scripts), skipping the dialog when identifiers are found. */
export type PresetPrivacyDecision = 'send' | 'redact' | 'cancel';

/**
 * Runs the privacy check before text leaves the machine. Local endpoints skip it unless
 * `biowrite.privacy.alwaysCheck` is set; VS Code's Language Model API counts as non-local. Both settings are
 * read from user settings only, so a repository cannot switch the check off.
 * @param environment The shared environment (endpoint, log).
 * @param text The text about to be sent.
 * @param preset A decision given in advance (optional; default: ask in a modal dialog).
 * @returns The decision, or `undefined` when the user cancelled.
 */
export async function checkPrivacy(environment: BiowriteEnvironment, text: string, preset?: PresetPrivacyDecision): Promise<PrivacyDecision | undefined> {
  const localHosts = readApplicationSetting<unknown>('biowrite.privacy', 'localHosts', [], environment.log);
  const alwaysCheck = readApplicationSetting<unknown>('biowrite.privacy', 'alwaysCheck', false, environment.log) === true;
  const endpoint = environment.getLlmEndpoint();
  const hosts = Array.isArray(localHosts) ? localHosts.filter((host): host is string => typeof host === 'string') : [];
  if (!privacyCheckRequired(endpoint, hosts, alwaysCheck)) return { action: 'send' };
  const findings = findIdentifiers(text);
  if (findings.length === 0) return { action: 'send' };
  environment.log.info(`privacy: ${findings.length} likely identifier(s) found before sending`);
  if (preset !== undefined) return preset === 'cancel' ? undefined : preset === 'send' ? { action: 'send' } : { action: 'redact', findings };
  const destination = endpoint ? (endpointHost(endpoint.baseUrl) ?? endpoint.baseUrl) : vscode.l10n.t("VS Code's language model provider");
  const send = vscode.l10n.t('Send As Is');
  const redact = vscode.l10n.t('Redact and Send');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The text looks like it holds patient identifiers ({0}).', summariseFindings(findings)),
    {
      modal: true,
      detail: vscode.l10n.t(
        'It is about to be sent to {0}, which is not on this machine. Redact replaces each identifier with a [REDACTED-…] placeholder (translations keep them as written, without sending them). Nothing is sent if you cancel.',
        destination,
      ),
    },
    redact,
    send,
  );
  if (choice === send) return { action: 'send' };
  if (choice === redact) return { action: 'redact', findings };
  return undefined;
}
