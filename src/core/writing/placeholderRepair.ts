/**
 * Checks a model's translation of a chunk for its placeholders `⟦n⟧` and repairs what can be repaired
 * without guessing: variant spellings, a protected text the model wrote out instead of its placeholder,
 * a placeholder dropped next to an anchor (another placeholder, the start or end of the chunk), an
 * adjacent duplicate, a single wrong number standing in for a single missing one.
 */
import { freezeMarkup, type ManuscriptFormat, type ProtectedKind } from './markupFreeze';

/** The outcome of {@link checkPlaceholders}. */
export type PlaceholderCheck =
  | {
      readonly ok: true;
      /** The output with every placeholder exactly once. */
      readonly text: string;
      /** What was repaired, one line each (empty when the output was already right). */
      readonly repairs: readonly string[];
    }
  | {
      readonly ok: false;
      /** What is wrong, one sentence each, to tell the model on a retry. */
      readonly problems: readonly string[];
      readonly repairs: readonly string[];
    };

/** Kinds whose appearance in the model's own text means it invented or rewrote markup. */
const markupKinds: ReadonlySet<ProtectedKind> = new Set(['citation', 'crossRef', 'math', 'displayMath', 'code', 'codeBlock', 'url', 'label', 'comment']);

const variantPattern = /(?:⟦\s*(\d+)\s*⟧|\[\[\s*(\d+)\s*\]\]|〚\s*(\d+)\s*〛|⟦\s*(\d+)\s*\]|\[\s*(\d+)\s*⟧|⟨⟨\s*(\d+)\s*⟩⟩|\{\{\s*(\d+)\s*\}\})/g;

function occurrences(text: string, id: number): number[] {
  const positions: number[] = [];
  const needle = `⟦${id}⟧`;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return positions;
    positions.push(at);
    from = at + needle.length;
  }
}

/**
 * Verifies and repairs the placeholders of one translated chunk.
 * @param source The chunk as the model saw it, with local placeholders `⟦0⟧…⟦k-1⟧`.
 * @param output The model's answer.
 * @param originals The protected source text of each local placeholder, by index.
 * @param format The manuscript format, to spot markup the model wrote itself.
 * @returns The repaired output, or the problems left.
 */
export function checkPlaceholders(source: string, output: string, originals: readonly string[], format: ManuscriptFormat): PlaceholderCheck {
  const repairs: string[] = [];
  const count = originals.length;
  let text = output.replace(variantPattern, (whole, ...groups: (string | undefined)[]) => {
    const id = groups.slice(0, 7).find((group) => group !== undefined);
    const canonical = `⟦${id}⟧`;
    if (whole !== canonical && Number(id) < count) repairs.push(`rewrote ${whole} as ${canonical}`);
    return Number(id) < count ? canonical : whole;
  });

  // The model wrote the protected text itself (e.g. restored a citation): put the placeholder back.
  for (let id = 0; id < count; id += 1) {
    const original = originals[id];
    if (occurrences(text, id).length === 0 && original.trim().length >= 3) {
      const first = text.indexOf(original);
      if (first >= 0 && text.indexOf(original, first + 1) < 0) {
        text = text.slice(0, first) + `⟦${id}⟧` + text.slice(first + original.length);
        repairs.push(`replaced the written-out text of ⟦${id}⟧ by its placeholder`);
      }
    }
  }

  // Adjacent duplicates (⟦3⟧⟦3⟧ or ⟦3⟧ ⟦3⟧) collapse without ambiguity.
  text = text.replace(/⟦(\d+)⟧(\s?)⟦\1⟧/g, (_whole, id: string) => {
    repairs.push(`removed a repeated ⟦${id}⟧`);
    return `⟦${id}⟧`;
  });

  const unknown = [...text.matchAll(/⟦(\d+)⟧/g)].map((match) => Number(match[1])).filter((id) => id >= count);
  let missing = range(count).filter((id) => occurrences(text, id).length === 0);
  if (unknown.length === 1 && missing.length === 1) {
    text = text.replace(`⟦${unknown[0]}⟧`, `⟦${missing[0]}⟧`);
    repairs.push(`renumbered ⟦${unknown[0]}⟧ as the missing ⟦${missing[0]}⟧`);
    missing = [];
  }

  let progress = true;
  while (missing.length > 0 && progress) {
    progress = false;
    for (const id of missing) {
      const reinserted = reinsertByPosition(source, text, id);
      if (reinserted !== undefined) {
        text = reinserted;
        repairs.push(`re-inserted the dropped ⟦${id}⟧ by its position`);
        progress = true;
      }
    }
    missing = missing.filter((id) => occurrences(text, id).length === 0);
  }

  const problems: string[] = [];
  for (const id of missing) problems.push(`Placeholder ⟦${id}⟧ is missing; it must appear exactly once.`);
  for (let id = 0; id < count; id += 1) {
    const seen = occurrences(text, id).length;
    if (seen > 1) problems.push(`Placeholder ⟦${id}⟧ appears ${seen} times; it must appear exactly once.`);
  }
  for (const match of text.matchAll(/⟦(\d+)⟧/g)) {
    if (Number(match[1]) >= count) problems.push(`Placeholder ${match[0]} does not exist in the text; remove it.`);
  }
  const stray = text.match(/[⟦⟧]/g)?.length ?? 0;
  const wellFormed = (text.match(/⟦\d+⟧/g)?.length ?? 0) * 2;
  if (stray > wellFormed) problems.push('The answer holds broken placeholder brackets; write placeholders exactly as ⟦n⟧.');

  // Markup the source did not have, outside the placeholders, means the model rewrote or invented it.
  const invented = freezeMarkup(text.replace(/⟦\d+⟧/g, ' '), { format }).spans.filter((span) => markupKinds.has(span.kind));
  for (const span of invented.slice(0, 5)) {
    problems.push(`The answer contains markup that is not in the text (${span.kind} “${span.text.slice(0, 60)}”); keep only the placeholders.`);
  }
  return problems.length === 0 ? { ok: true, text, repairs } : { ok: false, problems, repairs };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_value, index) => index);
}

/** Re-inserts a dropped placeholder when its place in the source is fixed by an anchor; otherwise `undefined`. */
function reinsertByPosition(source: string, output: string, id: number): string | undefined {
  const needle = `⟦${id}⟧`;
  const at = source.indexOf(needle);
  if (at < 0) return undefined;
  const before = source.slice(0, at);
  const after = source.slice(at + needle.length);
  const candidates = new Set<string>();

  // Anchored to a neighbouring placeholder with only spacing or citation punctuation between.
  const left = /⟦(\d+)⟧([\s;,]*)$/.exec(before);
  if (left) {
    const anchor = occurrences(output, Number(left[1]));
    if (anchor.length === 1) {
      const insertAt = anchor[0] + left[0].length - left[2].length;
      candidates.add(output.slice(0, insertAt) + left[2] + needle + output.slice(insertAt));
    }
  }
  const right = /^([\s;,]*)⟦(\d+)⟧/.exec(after);
  if (right) {
    const anchor = occurrences(output, Number(right[2]));
    if (anchor.length === 1) candidates.add(output.slice(0, anchor[0]) + needle + right[1] + output.slice(anchor[0]));
  }
  // At the very start of the chunk.
  if (before.trim() === '') {
    const leading = /^\s*/.exec(output)?.[0] ?? '';
    const gap = /^[ \t]*\n?/.exec(after)?.[0] ?? '';
    candidates.add(leading + needle + gap + output.slice(leading.length));
  }
  // At the very end, possibly before closing punctuation.
  const tail = /^([ \t]*)([.!?:;,)]*)\s*$/.exec(after);
  if (tail) {
    const trimmed = output.replace(/\s+$/, '');
    const trailing = output.slice(trimmed.length);
    const space = /([ \t]*)$/.exec(before)?.[1] ?? '';
    if (tail[2] === '' || trimmed.endsWith(tail[2])) {
      const body = tail[2] === '' ? trimmed : trimmed.slice(0, trimmed.length - tail[2].length);
      candidates.add(body.replace(/[ \t]+$/, '') + space + needle + tail[1] + tail[2] + trailing);
    }
  }
  return candidates.size === 1 ? [...candidates][0] : undefined;
}
