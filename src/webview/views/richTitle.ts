/**
 * Result titles with their formatting: the host sends a title's italics, bold, super- and subscripts and
 * small capitals as spans of data, and they become elements here with text set through `textContent`.
 * Nothing is ever parsed as HTML.
 */
import type { TitleSpan, TitleStyle } from '../../shared/protocol';

/** The element of one style, or `undefined` for a value outside the protocol (the span then renders plain). */
function styleElement(style: TitleStyle): HTMLElement | undefined {
  switch (style) {
    case 'italic':
      return document.createElement('i');
    case 'bold':
      return document.createElement('b');
    case 'sup':
      return document.createElement('sup');
    case 'sub':
      return document.createElement('sub');
    case 'smallcaps': {
      // A class, not an inline style: the panel's content security policy allows no inline styles.
      const span = document.createElement('span');
      span.className = 'small-caps';
      return span;
    }
    default: {
      const _exhaustive: never = style;
      void _exhaustive;
      return undefined;
    }
  }
}

/** Whether every span is well-formed and the texts together spell the title. */
function spellsTitle(title: string, spans: readonly TitleSpan[]): boolean {
  let text = '';
  for (const span of spans) {
    if (typeof span !== 'object' || span === null || typeof span.text !== 'string') return false;
    if (span.styles !== undefined && !Array.isArray(span.styles)) return false;
    text += span.text;
  }
  return text === title;
}

/**
 * Fills `parent` with a title: one element per style, nested in the order given, around a text node;
 * the plain title when there are no spans or they do not spell it.
 * @param parent Where the title goes (its content is replaced).
 * @param title The plain title.
 * @param spans The title's spans (optional).
 */
export function renderTitleSpans(parent: HTMLElement, title: string, spans: readonly TitleSpan[] | undefined): void {
  if (!spans || !Array.isArray(spans) || !spellsTitle(title, spans)) {
    parent.textContent = title;
    return;
  }
  const nodes: Node[] = [];
  for (const span of spans) {
    let node: Node = document.createTextNode(span.text);
    const styles = span.styles ?? [];
    for (let index = styles.length - 1; index >= 0; index--) {
      const wrapper = styleElement(styles[index]);
      if (!wrapper) continue;
      wrapper.append(node);
      node = wrapper;
    }
    nodes.push(node);
  }
  parent.replaceChildren(...nodes);
}
