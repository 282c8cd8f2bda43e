// ESLint flat config: typescript-eslint's recommended rules, plus the house rule
// that src/core and src/cli never import `vscode` (they run in plain Node).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.property.name="innerHTML"]', message: 'Render untrusted text with textContent.' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core and src/cli run in plain Node: no vscode imports.' }] }],
      // `no-restricted-imports` sees only static imports; lazy `await import('vscode')` must fail too. This
      // replaces the general `no-restricted-syntax` entry for these files, so it repeats its selector.
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression[callee.property.name="innerHTML"]', message: 'Render untrusted text with textContent.' },
        { selector: 'ImportExpression[source.value="vscode"]', message: 'src/core and src/cli run in plain Node: no vscode imports.' },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { property: 'innerHTML', message: 'Untrusted text is rendered with textContent, never innerHTML.' }, { property: 'outerHTML', message: 'Untrusted text is rendered with textContent.' }],
    },
  },
);
