/**
 * Decoding manuscript files: UTF-8 (with or without BOM) and UTF-16 with a BOM. Binary files and
 * other encodings are refused with a message that says what to do.
 */
import * as l10n from '@vscode/l10n';

/** A decoded text, or why the bytes are not one. */
export type DecodeResult = { readonly ok: true; readonly text: string; readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | { readonly ok: false; readonly message: string };

/**
 * Decodes a file's bytes as text.
 *
 * @param bytes The file's content.
 * @returns The text, or a message for the user when the file is binary or not UTF-8/UTF-16.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    return { ok: false, message: l10n.t('looks binary (it holds NUL bytes), not a text manuscript; nothing was checked.') };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text, encoding: 'utf-8' };
  } catch {
    return {
      ok: false,
      message: l10n.t('is not UTF-8 text (perhaps Latin-1 or Windows-1252); nothing was checked. Convert it, e.g. {0}, and check that.', '`iconv -f latin1 -t utf-8 FILE > FILE.utf8`'),
    };
  }
}
