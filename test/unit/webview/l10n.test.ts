import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { l10nBundleElementId, parseL10nBundle, sanitizeL10nBundle, serializeL10nBundle } from '../../../src/shared/l10nBundle';
import { createTranslator, formatMessage, t } from '../../../src/webview/l10n';

// The page `t` reads on its first call: a bundle as the host embeds it, behind a fake getElementById.
const embedded = serializeL10nBundle({ 'Not configured': 'Non configuré', '{0} results': '{0} résultats', 'Open {0}': 'Ouvrir {0}' });
const lookedUp: string[] = [];
(globalThis as unknown as { document: unknown }).document = {
  getElementById: (id: string) => {
    lookedUp.push(id);
    return id === l10nBundleElementId ? { textContent: embedded } : null;
  },
};

test('t: reads the embedded bundle once, translates, fills placeholders and falls back to English', () => {
  assert.equal(t('Not configured'), 'Non configuré');
  assert.equal(t('{0} results', 3), '3 résultats');
  assert.equal(t('Open {0}', 'PMID 1'), 'Ouvrir PMID 1');
  assert.equal(t('Connected'), 'Connected');
  assert.equal(t('{0} / {1} words', 12, 250), '12 / 250 words');
  assert.deepEqual(lookedUp, [l10nBundleElementId]);
});

test('formatMessage: fills {n} like vscode.l10n.t', () => {
  assert.equal(formatMessage('{0} / {1} words ({2} over)', [260, 250, 10]), '260 / 250 words (10 over)');
  assert.equal(formatMessage('{1} before {0}, {0} again', ['a', 'b']), 'b before a, a again');
  assert.equal(formatMessage('{0} and {3}', ['x']), 'x and {3}', 'a placeholder without an argument stays');
  assert.equal(formatMessage('{0} stays {name}', []), '{0} stays {name}', 'no arguments: the template unchanged');
  assert.equal(formatMessage('{name} {length} {0}', ['v']), '{name} {length} v', 'only numeric placeholders');
  assert.equal(formatMessage('{0}', [0]), '0');
});

test('formatMessage: arguments are inserted as they are, once', () => {
  assert.equal(formatMessage('{0} then {1}', ['{1}', 'two']), '{1} then two', 'an argument is not filled again');
  assert.equal(formatMessage('[{0}]', ["$& $' $` $$ $1"]), "[$& $' $` $$ $1]", 'replacement patterns are not interpreted');
  assert.equal(formatMessage('{0}', ['<img src=x onerror=alert(1)>']), '<img src=x onerror=alert(1)>');
});

test('createTranslator: missing keys and inherited names fall back to the English message', () => {
  const translate = createTranslator(sanitizeL10nBundle({ Stop: 'Arrêter' }));
  assert.equal(translate('Stop'), 'Arrêter');
  assert.equal(translate('Discard'), 'Discard');
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) assert.equal(translate(name), name);
  assert.equal(translate('{0} tokens used', 42), '42 tokens used');
});

test('sanitizeL10nBundle: keeps string entries and { message } entries, drops the rest', () => {
  const hostile = JSON.parse(
    '{"__proto__": "polluted", "constructor": {"message": "Konstruktor"}, "A": 1, "B": null, "C": ["x"], "D": {"message": 2}, "E": {}, "F": "ok", "G": {"message": "mit Kommentar", "comment": ["c"]}}',
  ) as unknown;
  const bundle = sanitizeL10nBundle(hostile);
  assert.deepEqual([...bundle], [
    ['__proto__', 'polluted'],
    ['constructor', 'Konstruktor'],
    ['F', 'ok'],
    ['G', 'mit Kommentar'],
  ]);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  assert.equal(Object.getPrototypeOf({}), Object.prototype, 'nothing was written to Object.prototype');
  const translate = createTranslator(bundle);
  assert.equal(translate('__proto__'), 'polluted');
  assert.equal(translate('A'), 'A');
  assert.equal(translate('D'), 'D');
  for (const value of [undefined, null, 'text', 42, true, ['a', 'b']]) assert.deepEqual([...sanitizeL10nBundle(value)], []);
});

test('translations with placeholders the English lacks, or hostile text, stay text', () => {
  const translate = createTranslator(
    sanitizeL10nBundle({ 'Failed: {0} Nothing was changed.': '<b>Échec</b> : {0} {7} Rien n’a changé.', Insert: '</script><script>alert(1)</script>' }),
  );
  assert.equal(translate('Failed: {0} Nothing was changed.', 'timeout'), '<b>Échec</b> : timeout {7} Rien n’a changé.');
  assert.equal(translate('Insert'), '</script><script>alert(1)</script>', 't returns text; the views set it with textContent');
});

test('serializeL10nBundle: a value cannot leave the <script type="application/json"> element', () => {
  const bundle = {
    Stop: '</script><script>alert(1)</script>',
    Open: '</SCRIPT >',
    Draft: '<!--<script>',
    'a < b': 'x & y > z',
    Accept: 'line\u2028para\u2029end',
  };
  const text = serializeL10nBundle(bundle);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
  assert.doesNotMatch(text, /<\/script/i);
  assert.match(text, /\\u003c\/script\\u003e/);
  // What the webview reads back is exactly what the host embedded.
  assert.deepEqual(Object.fromEntries(parseL10nBundle(text)), bundle);
  const html = `<script type="application/json" id="${l10nBundleElementId}">${text}</script>`;
  assert.equal(html.toLowerCase().indexOf('</script'), html.length - '</script>'.length, 'the only end tag is the element’s own');
});

test('serializeL10nBundle: English and unusable bundles give {}, and only usable entries are embedded', () => {
  assert.equal(serializeL10nBundle(undefined), '{}');
  assert.equal(serializeL10nBundle({}), '{}');
  assert.equal(serializeL10nBundle(JSON.parse('{"Stop": "Stopp", "Bad": 3}') as Record<string, string>), '{"Stop":"Stopp"}');
});

test('parseL10nBundle: missing or malformed text gives an empty bundle', () => {
  for (const text of [undefined, null, '', 'not json', '{"Stop":', '[1,2]', '"Stop"', 'null']) {
    assert.deepEqual([...parseL10nBundle(text)], [], String(text));
  }
  assert.deepEqual([...parseL10nBundle('{"Stop":"Stopp"}')], [['Stop', 'Stopp']]);
});

test('l10n/bundle.l10n.json lists every t(...) message of the webview', () => {
  const result = spawnSync(process.execPath, ['scripts/l10nWebview.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});
