// Lint rules that catch real mistakes; formatting is left to the editor. Not type-aware, so `npm run lint` stays fast
// (`npm run typecheck` does the type checking).
const tseslint = require('typescript-eslint');

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
    // Layering: the model and the manifest must never depend on cdktf (brief: model code never imports cdktf).
    files: ['fleet/**/*.ts', 'contract/**/*.ts', 'dashboards/**/*.ts', 'functions/**/*.ts', 'dev/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs'], message: 'Model, manifest, dashboards and functions must not import cdktf: keep cdktf inside stacks/ constructs.' }] }],
    },
  },
  {
    // The provider barrel loads ~2,200 modules (~565 MB): import from @cdktf/provider-aws/lib/<resource>.
    files: ['stacks/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@cdktf/provider-aws', message: 'Import from @cdktf/provider-aws/lib/<resource>; the barrel costs seconds and hundreds of MB.' }] }],
    },
  },
);
