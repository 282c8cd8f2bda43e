import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findExistingAbstract, formatAbstractBlock, planAbstractEdit, selectionIsAbstract } from '../../../src/core/writing/abstractPlacement';

const apply = (text: string, edit: { start: number; end: number; text: string }) => text.slice(0, edit.start) + edit.text + text.slice(edit.end);
const draft = '**Background:** One.\n\n**Methods:** Two.';

test('Markdown: a new ## Abstract goes after the front matter and title, before the first section', () => {
  const text = '---\ntitle: T\n---\n\n# The title\n\nAuthors here.\n\n## Introduction\n\nText.\n';
  const result = apply(text, planAbstractEdit(text, draft, 'markdown'));
  assert.equal(result, `---\ntitle: T\n---\n\n# The title\n\nAuthors here.\n\n## Abstract\n\n${draft}\n\n## Introduction\n\nText.\n`);
});

test('Markdown without a title heading: after the front matter, before the first heading', () => {
  const text = '---\ntitle: T\n---\n## Introduction\nText.\n';
  assert.equal(apply(text, planAbstractEdit(text, 'Body.', 'markdown')), '---\ntitle: T\n---\n\n## Abstract\n\nBody.\n\n## Introduction\nText.\n');
});

test('finds and replaces an existing abstract, keeping its heading line and attributes', () => {
  const text = '## Abstract {.page_break_before}\n\nOld abstract.\n\n## Introduction\n\nText.\n';
  const existing = findExistingAbstract(text, 'markdown');
  assert.ok(existing);
  assert.equal(text.slice(existing.start, existing.end), '## Abstract {.page_break_before}\n\nOld abstract.');
  assert.equal(apply(text, planAbstractEdit(text, 'New abstract.', 'markdown', existing)), '## Abstract {.page_break_before}\n\nNew abstract.\n\n## Introduction\n\nText.\n');
});

test('a selection is an abstract when it starts with the heading or lies inside the abstract', () => {
  const text = '# T\n\n## Abstract\n\nOld abstract text that is long enough.\n\n## Methods\n\nM.\n';
  const start = text.indexOf('## Abstract');
  assert.equal(selectionIsAbstract(text, { start, end: start + 20 }, 'markdown'), true);
  const inside = text.indexOf('Old');
  assert.equal(selectionIsAbstract(text, { start: inside, end: inside + 30 }, 'markdown'), true);
  const methods = text.indexOf('## Methods');
  assert.equal(selectionIsAbstract(text, { start: methods, end: text.length }, 'markdown'), false);
});

test('LaTeX: the abstract environment goes after \\maketitle, with labels in bold and specials escaped', () => {
  const text = '\\begin{document}\n\\maketitle\n\\section{Intro}\n';
  const result = apply(text, planAbstractEdit(text, '**Results:** 45% & more.', 'latex'));
  assert.equal(result, '\\begin{document}\n\\maketitle\n\n\\begin{abstract}\n\\textbf{Results:} 45\\% \\& more.\n\\end{abstract}\n\n\\section{Intro}\n');
  assert.equal(formatAbstractBlock('x', 'markdown'), '## Abstract\n\nx');
});

test('LaTeX: an existing abstract environment is found and replaced whole', () => {
  const text = '\\maketitle\n\\begin{abstract}\nOld.\n\\end{abstract}\n\\section{A}';
  const existing = findExistingAbstract(text, 'latex');
  assert.ok(existing);
  assert.equal(apply(text, planAbstractEdit(text, 'New.', 'latex', existing)), '\\maketitle\n\\begin{abstract}\nNew.\n\\end{abstract}\n\\section{A}');
});
