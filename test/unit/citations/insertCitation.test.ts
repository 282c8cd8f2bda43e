import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectConventions, manubotKeyFor, planCitation, relocateSentence, type DocumentConventions } from '../../../src/core/citations/insertCitation';
import type { LiteratureRecord } from '../../../src/core/literature/types';

function apply(text: string, edit: { start: number; end: number; newText: string }): string {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

function cite(text: string, sentence: string, keys: string[], conventions: DocumentConventions, language: 'markdown' | 'latex' = 'markdown'): string {
  const start = text.indexOf(sentence);
  const plan = planCitation(text, start, start + sentence.length, keys, language, conventions);
  return plan.kind === 'edit' ? apply(text, plan.edit) : 'ALREADY';
}

const pandoc: DocumentConventions = { syntax: 'pandoc', placement: 'beforePunctuation', latexCommand: 'cite' };

test('Pandoc: inserted before the final period, merged into a bracket that ends the sentence', () => {
  assert.equal(cite('Intro. Claims hold. Next.', 'Claims hold.', ['b'], pandoc), 'Intro. Claims hold [@b]. Next.');
  assert.equal(cite('Claims hold [@a].', 'Claims hold [@a].', ['b'], pandoc), 'Claims hold [@a; @b].');
  assert.equal(cite('Claims hold [@a].', 'Claims hold [@a].', ['a'], pandoc), 'ALREADY');
  assert.equal(cite('Is it "true?"', 'Is it "true?"', ['k'], pandoc), 'Is it "true [@k]?"');
  assert.equal(cite('No punctuation at all', 'No punctuation at all', ['k'], pandoc), 'No punctuation at all [@k]');
  // A citation in the middle of the sentence is left alone.
  assert.equal(cite('A [@a] and B hold.', 'A [@a] and B hold.', ['b'], pandoc), 'A [@a] and B hold [@b].');
});

test('after-the-period convention: detected and followed, merging with a trailing citation', () => {
  const doc = 'First claim.[@a] Second claim.[@b] Third claim.';
  const conventions = detectConventions(doc, 'markdown');
  assert.equal(conventions.placement, 'afterPunctuation');
  assert.equal(cite(doc, 'Third claim.', ['c'], conventions), 'First claim.[@a] Second claim.[@b] Third claim.[@c]');
  assert.equal(cite(doc, 'Second claim.', ['c'], conventions), 'First claim.[@a] Second claim.[@b; @c] Third claim.');
  assert.equal(detectConventions('One [@a]. Two [@b].', 'markdown').placement, 'beforePunctuation');
});

test('Manubot: detected from the document, keys from DOI then PMID', () => {
  const doc = 'A claim [@doi:10.1/x]. Another [@pmid:123].';
  const conventions = detectConventions(doc, 'markdown');
  assert.equal(conventions.syntax, 'manubot');
  assert.equal(detectConventions(doc, 'markdown', { markdownStyle: 'pandoc' }).syntax, 'pandoc');
  assert.equal(detectConventions('No citations yet.', 'markdown').syntax, 'pandoc');
  const record = { sources: ['pubmed'], title: 't', authors: [], retracted: false, notices: [] } as LiteratureRecord;
  assert.equal(manubotKeyFor({ ...record, doi: '10.1/y', pmid: '9' }), 'doi:10.1/y');
  assert.equal(manubotKeyFor({ ...record, pmid: '9' }), 'pmid:9');
  assert.equal(manubotKeyFor(record), undefined);
  assert.equal(cite(doc, 'Another [@pmid:123].', ['doi:10.2/z'], conventions), 'A claim [@doi:10.1/x]. Another [@pmid:123; @doi:10.2/z].');
});

test('LaTeX: configurable command, tie before the command, merged into \\cite{a}', () => {
  const doc = 'Text holds~\\citep{a}. Other text.';
  const conventions = detectConventions(doc, 'latex');
  assert.equal(conventions.latexCommand, 'citep');
  assert.equal(cite(doc, 'Text holds~\\citep{a}.', ['b'], conventions, 'latex'), 'Text holds~\\citep{a,b}. Other text.');
  assert.equal(cite(doc, 'Other text.', ['b'], conventions, 'latex'), 'Text holds~\\citep{a}. Other text~\\citep{b}.');
  const custom = detectConventions('Nothing cited.', 'latex', { latexCommand: 'parencite' });
  assert.equal(cite('Nothing cited.', 'Nothing cited.', ['k'], custom, 'latex'), 'Nothing cited~\\parencite{k}.');
});

test('relocateSentence: unique text moves with the document; gone or ambiguous is refused', () => {
  assert.equal(relocateSentence('New line.\nA claim.', 'A claim.'), 10);
  assert.equal(relocateSentence('A claim edited.', 'A claim.'), undefined);
  assert.equal(relocateSentence('A claim. A claim.', 'A claim.'), undefined);
  assert.equal(relocateSentence('x', '  '), undefined);
});
