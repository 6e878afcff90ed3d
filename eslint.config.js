// `npm run lint`: typescript-eslint's recommended rules on the package, the demo, the tests and
// the bench; Prettier owns formatting (eslint-config-prettier turns the style rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bench/results/**', 'bench/peer/**', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // Backends and rows are typed at the edges; `any` stays where a method's config type is open.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest modules are classes with static methods only.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Migrations and descriptors take `Function` types from TypeORM's own signatures.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // The demo's pages run in the browser.
    files: ['src/**/assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
