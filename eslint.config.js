// Lint: typescript-eslint (type-aware), the pure-core boundary, and test hygiene.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const IO_AND_FRAMEWORKS = [
  { group: ['@nestjs/*'], message: 'The model and goals are plain TypeScript: no NestJS.' },
  { group: ['kafkajs', 'bullmq', 'ioredis', 'prom-client'], message: 'The model and goals do no I/O.' },
  {
    group: [
      'node:fs',
      'node:fs/*',
      'node:net',
      'node:http',
      'node:https',
      'node:child_process',
      'fs',
      'net',
      'child_process',
    ],
    message: 'The model and goals do no I/O.',
  },
];

export default tseslint.config(
  // Goal files as an operator writes them (plain ESM, outside the TypeScript project) are loaded, not linted.
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'test/fixtures/goals/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Nest injects by class; type-only imports would erase the runtime token.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // The pure core: Temporal-style boundary, enforced.
    files: [
      'src/model/**/*.ts',
      'goals/**/*.ts',
      'src/analyzer/operations/**/*.ts',
      'src/executor/planner/**/*.ts',
      'src/detector/anomaly.ts',
      'src/detector/*.detector.ts',
      'src/detector/self-healing.policy.ts',
      'src/detector/anomaly-records.ts',
      'src/detector/anomaly-detector-state.ts',
      'src/detector/alert.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: IO_AND_FRAMEWORKS }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]',
          message: 'No focused or skipped tests in the suite.',
        },
      ],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['test/integration/**/*.ts', 'test/e2e/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock)$/]",
          message: 'Integration and e2e tests run against real Kafka and Redis: no module mocks.',
        },
        {
          selector: 'CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]',
          message: 'No focused or skipped tests in the suite.',
        },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The CLI launcher: plain Node ESM outside the TypeScript project.
  {
    files: ['bin/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly' } },
  },
  prettier,
);
