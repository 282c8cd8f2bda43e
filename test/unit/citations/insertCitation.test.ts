import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectConventions, manubotKeyFor, planCitation, relocateSentence, type DocumentConventions } from '../../../src/core/citations/insertCitation';
import type { LiteratureRecord } from '../../../src/core/literature/types';
import { extractCitations, formatPandocKey } from '../../../src/core/manuscript/citations';

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

test('Manubot: a DOI with characters a bare key cannot hold is written in braces and reads back whole', () => {
  const sici = '10.1002/(SICI)1097-4636(199909)46:3<350::AID-JBM8>3.0.CO;2-U';
  const doc = 'A claim [@doi:10.1/x]. Another claim.';
  const conventions = detectConventions(doc, 'markdown');
  const cited = cite(doc, 'Another claim.', [`doi:${sici}`], conventions);
  assert.equal(cited, `A claim [@doi:10.1/x]. Another claim [@{doi:${sici}}].`);
  assert.deepEqual(extractCitations(cited, 'markdown').map((c) => c.keys), [['doi:10.1/x'], [`doi:${sici}`]]);
  // Merged into an existing bracket, and recognised as already there on a second insert.
  const merged = cite(cited, 'A claim [@doi:10.1/x].', [`doi:${sici}`], conventions);
  assert.equal(merged, `A claim [@doi:10.1/x; @{doi:${sici}}]. Another claim [@{doi:${sici}}].`);
  assert.equal(cite(merged, 'A claim [@doi:10.1/x; @{doi:' + sici + '}].', [`doi:${sici}`], conventions), 'ALREADY');
  // A DOI that would end the bracket or the braces early is not used; the PMID is.
  const record = { sources: ['crossref'], title: 't', authors: [], retracted: false, notices: [] } as LiteratureRecord;
  assert.equal(manubotKeyFor({ ...record, doi: '10.1/a]b', pmid: '7' }), 'pmid:7');
  assert.equal(manubotKeyFor({ ...record, doi: '10.1/a{b}' }), undefined);
  assert.equal(manubotKeyFor({ ...record, doi: sici }), `doi:${sici}`);
});

test('formatPandocKey: bare where Pandoc reads the key whole, braces otherwise', () => {
  assert.equal(formatPandocKey('smith2020'), '@smith2020');
  assert.equal(formatPandocKey('doi:10.1038/nature14539'), '@doi:10.1038/nature14539');
  assert.equal(formatPandocKey('Smith:2020:Deep'), '@Smith:2020:Deep');
  assert.equal(formatPandocKey('doi:10.1000/abc.'), '@{doi:10.1000/abc.}');
  assert.equal(formatPandocKey('doi:10.1000/a..b'), '@{doi:10.1000/a..b}');
  assert.equal(formatPandocKey('url:https://example.org/x(1)'), '@{url:https://example.org/x(1)}');
  assert.equal(formatPandocKey('müller2019'), '@müller2019');
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
