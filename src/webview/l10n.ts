/**
 * The panel's `t`: the webview cannot call `vscode.l10n.t`, so the host embeds its loaded bundle in the
 * page (see `src/shared/l10nBundle.ts`) and this module looks messages up in it with the same rules:
 * the key is the English message, `{0}`, `{1}`… are filled from the arguments, and a missing or unusable
 * translation falls back to the English message. `npm run l10n` collects every `t('…')` literal of the
 * webview into `l10n/bundle.l10n.json`, so the first argument must be a string literal.
 */
import { l10nBundleElementId, parseL10nBundle } from '../shared/l10nBundle';

/** A value for a `{n}` placeholder. */
export type L10nArg = string | number;

/** Looks up and formats one message. */
export type Translator = (message: string, ...args: L10nArg[]) => string;

/**
 * Fills `{0}`, `{1}`… with the arguments, as `vscode.l10n.t` does: a placeholder without an argument
 * stays as written, and with no arguments at all the template is returned unchanged. One pass, so an
 * argument that itself contains `{1}` is not filled again.
 * @param template The (translated) message.
 * @param args The placeholder values.
 */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const position = Number(index);
    return position < args.length ? String(args[position]) : placeholder;
  });
}

/**
 * A `t` over one bundle.
 * @param bundle Translations keyed by the English message (from {@link parseL10nBundle}).
 */
export function createTranslator(bundle: ReadonlyMap<string, string>): Translator {
  return (message, ...args) => formatMessage(bundle.get(message) ?? message, args);
}

/** The part of `document` this module needs, typed here so the module stays free of the DOM lib. */
interface BundleSource {
  getElementById(id: string): { readonly textContent: string | null } | null;
}

function readEmbeddedBundle(): Map<string, string> {
  const source = (globalThis as { document?: Partial<BundleSource> }).document;
  // Outside the panel (unit tests with a partial DOM) there is no element: English.
  if (typeof source?.getElementById !== 'function') return new Map();
  return parseL10nBundle(source.getElementById(l10nBundleElementId)?.textContent);
}

let active: Translator | undefined;

/**
 * Translates a user-visible panel string, like `vscode.l10n.t`: `t('{0} results', 3)`. The bundle is read
 * from the page on the first call.
 * @param message The English message, a string literal (it is the key).
 * @param args Values for `{0}`, `{1}`….
 */
export function t(message: string, ...args: L10nArg[]): string {
  active ??= createTranslator(readEmbeddedBundle());
  return active(message, ...args);
}
