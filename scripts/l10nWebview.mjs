// Adds the panel webview's strings to l10n/bundle.l10n.json, after `l10n-dev export` has written the
// host's. l10n-dev only sees `l10n.t` from 'vscode' or '@vscode/l10n', and the webview calls its own `t`
// (src/webview/l10n.ts), so its calls are collected here with the TypeScript parser.
// A `t(...)` whose message is not a string literal fails the run: the message is the translation key.
// `--check` writes nothing and fails if the bundle lacks a webview string (the unit tests run it).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = 'src/webview';
const bundlePath = 'l10n/bundle.l10n.json';

function listSources(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listSources(path);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
    });
}

/** The local names under which a file imports `t` from the webview's l10n module. */
function translatorNames(source) {
  const names = new Set();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/(^|\/)l10n$/.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if ((element.propertyName ?? element.name).text === 't') names.add(element.name.text);
    }
  }
  return names;
}

const messages = [];
const errors = [];
for (const file of listSources(root)) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = translatorNames(source);
  if (names.size === 0) continue;
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text)) {
      const [first] = node.arguments;
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.push(first.text);
      else {
        const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
        errors.push(`${relative('.', file)}:${line + 1}:${character + 1}: the message of t(...) must be a string literal`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}

const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
if (process.argv.includes('--check')) {
  const missing = [...new Set(messages)].filter((message) => !Object.hasOwn(bundle, message));
  if (missing.length > 0) {
    console.error(`${bundlePath} lacks ${missing.length} webview strings; run \`npm run l10n\`:\n${missing.join('\n')}`);
    process.exit(1);
  }
  console.log(`${bundlePath} has all ${new Set(messages).size} webview strings.`);
  process.exit(0);
}
let added = 0;
for (const message of messages) {
  if (Object.hasOwn(bundle, message)) continue;
  bundle[message] = message;
  added += 1;
}
writeFileSync(bundlePath, `${JSON.stringify(bundle, null, 2)}\n`);
console.log(`Added ${added} webview strings to ${bundlePath} (${Object.keys(bundle).length} in all).`);
