// Lint rules that catch real mistakes; formatting is left to the editor. Not type-aware, so `npm run lint` stays fast
// (`npm run typecheck` does the type checking).
//
// The layering is enforced here, one block per layer (README "Layout"): imports go one way only,
//   contract ← functions;  contract ← fleet/manifest ← fleet/model ← fleet (loader) ← stacks, dashboards, cli, dev.
const tseslint = require('typescript-eslint');

const CDKTF = { group: ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs'], message: 'keep cdktf (and constructs) inside stacks/: only constructs and stacks may import it.' };
/** A restricted repository directory, matched however deep the relative import starts. */
const dir = (name, message) => ({ group: [`**/${name}`, `**/${name}/**`, `!**/node_modules/**`], message });
const tests = ['**/*.test.ts', '**/test-support.ts'];
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.build/', 'dist/', 'coverage/', '**/*.d.ts', 'dashboards/generated/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // contract/ is what the model and the functions agree on: it imports nothing of the repository but itself.
    files: ['contract/**/*.ts'],
    rules: restrict(CDKTF, ...['fleet', 'stacks', 'functions', 'dashboards', 'cli', 'dev', 'testing', 'bench'].map((d) => dir(d, 'contract/ imports only contract/: move the shared value into contract/.'))),
  },
  {
    // A Lambda bundle contains only functions/ and contract/.
    files: ['functions/**/*.ts'],
    ignores: tests,
    rules: restrict(CDKTF, ...['fleet', 'stacks', 'dashboards', 'cli', 'dev', 'testing', 'bench'].map((d) => dir(d, 'functions import only contract/ and functions/ (they are bundled into Lambda zips).'))),
  },
  {
    // The manifest layer reads and shape-checks files; it knows nothing of the model built from it.
    files: ['fleet/manifest/**/*.ts'],
    ignores: tests,
    rules: restrict(
      CDKTF,
      dir('model', 'fleet/manifest must not import the model (manifest → model, one direction): put rules that need derived values in fleet/model/rules.ts.'),
      ...['stacks', 'functions', 'dashboards', 'cli', 'dev', 'testing'].map((d) => dir(d, 'the manifest layer imports only contract/ and fleet/manifest.')),
    ),
  },
  {
    // The model is pure: no cdktf, no file reading (the loader lives in fleet/manifest and fleet/index.ts).
    files: ['fleet/model/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['..', '../index', '../manifest', '../manifest/index'].map((name) => ({ name, message: 'the model must not import the loader: take the manifest types from ../manifest/schema (or rules/errors).' })),
          patterns: [
            CDKTF,
            { group: ['**/manifest/loader', '**/manifest/yaml-source', '**/manifest/schema-errors', '**/manifest/generate'], message: 'the model must not import the loader.' },
            ...['stacks', 'functions', 'dashboards', 'cli', 'dev', 'testing'].map((d) => dir(d, 'the model imports only contract/, fleet/manifest types and fleet/model.')),
          ],
        },
      ],
    },
  },
  {
    // Dashboards are pure functions of the model; they never depend on the stacks that deploy them.
    files: ['dashboards/**/*.ts'],
    ignores: tests,
    rules: restrict(CDKTF, ...['stacks', 'functions', 'cli', 'dev', 'testing'].map((d) => dir(d, 'dashboards import only fleet/ (model) and contract/.'))),
  },
  {
    // The local dev fleet runs the functions in-process; it is never part of a stack.
    files: ['dev/**/*.ts'],
    ignores: tests,
    rules: restrict(CDKTF, dir('stacks', 'the dev fleet never imports stacks/.')),
  },
  {
    // The provider barrel loads ~2,200 modules (~565 MB): import from @cdktf/provider-aws/lib/<resource>.
    files: ['stacks/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@cdktf/provider-aws', message: 'Import from @cdktf/provider-aws/lib/<resource>; the barrel costs seconds and hundreds of MB.' }] }],
    },
  },
);
