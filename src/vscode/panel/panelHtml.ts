import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { l10nBundleElementId, serializeL10nBundle, type L10nBundle } from '../../shared/l10nBundle';

/** A fresh nonce for the panel's one script tag. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The panel's HTML: a strict CSP (`default-src 'none'`, the script only by nonce, styles and fonts from
 * the extension), the stylesheet from `media/`, the translations for the panel's script as a JSON data
 * block, and the bundled script from `dist/`.
 * @param webview The view's webview.
 * @param extensionUri The extension's root.
 * @param nonce From {@link createNonce}.
 * @param bundle `vscode.l10n.bundle`: the display language's translations, `undefined` in English.
 */
export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string, bundle: L10nBundle | undefined): string {
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const language = vscode.env.language.replace(/[^A-Za-z0-9-]/g, '') || 'en';
  const loading = escapeHtml(vscode.l10n.t('Loading Biowrite…'));
  // A data block is never executed, so it needs no nonce; it precedes the script, which reads it on load.
  const translations = bundle ? `\n  <script type="application/json" id="${l10nBundleElementId}">${serializeL10nBundle(bundle)}</script>` : '';
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style.toString()}">
  <title>Biowrite</title>
</head>
<body>
  <main id="root" data-testid="biowrite-panel"><p class="loading">${loading}</p></main>${translations}
  <script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** Escapes text for an HTML text node or attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
