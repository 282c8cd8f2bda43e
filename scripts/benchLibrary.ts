// Prints how long reading a reference library takes: BibTeX and CSL JSON of 5,000 to 20,000
// generated entries, and hostile BibTeX. Usage: npm run bench:library
import { parseLibraryText } from '../src/core/literature/library/loadLibrary';

function bibtexEntry(index: number): string {
  return `@article{key${index},\n  title = {A study of {TP53} number ${index} in cancer},\n  author = {Smith, John and M{\\"u}ller, Anna and Doe, J.},\n  journal = {Nature},\n  year = {${1990 + (index % 30)}},\n  volume = {${index}},\n  pages = {1--10},\n  doi = {10.1000/x${index}},\n  abstract = {${'Background text about tumours and genes. '.repeat(10)}}\n}\n`;
}

function cslItem(index: number): unknown {
  return {
    id: `key${index}`,
    type: 'article-journal',
    title: `A study of TP53 number ${index} in cancer`,
    author: [{ family: 'Smith', given: 'John' }, { family: 'Müller', given: 'Anna' }],
    'container-title': 'Nature',
    issued: { 'date-parts': [[1990 + (index % 30)]] },
    DOI: `10.1000/x${index}`,
    abstract: 'Background text about tumours and genes. '.repeat(10),
  };
}

function time(name: string, text: string, path: string): void {
  const start = performance.now();
  const result = parseLibraryText(text, path);
  const ms = performance.now() - start;
  console.log(`${name.padEnd(28)} ${(text.length / 1048576).toFixed(1).padStart(5)} MB ${ms.toFixed(0).padStart(6)} ms  ${result.records.length} records, ${result.warnings.length} warnings`);
}

console.log('Reading reference libraries');
for (const count of [5_000, 10_000, 20_000, 40_000]) {
  time(`BibTeX, ${count.toLocaleString('en')} entries`, Array.from({ length: count }, (_, index) => bibtexEntry(index)).join('\n'), 'library.bib');
}
time('CSL JSON, 20,000 items', JSON.stringify(Array.from({ length: 20_000 }, (_, index) => cslItem(index)), null, 2), 'library.json');
time('BibTeX, 200 KB of @', '@'.repeat(200_000), 'hostile.bib');
time('BibTeX, 50,000 broken entries', '@a{\n'.repeat(50_000), 'hostile.bib');
