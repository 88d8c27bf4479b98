// One linter for the whole tree. The layer rule is the point: pure folders import no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:net',
  'net',
  'node:child_process',
  'child_process',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:dgram',
  'node:os',
  'os',
  'node:worker_threads',
  'node:process',
  'electron',
  'serialport',
  '@serialport/*',
  'node-hid',
  'better-sqlite3',
  'pg',
  'onnxruntime-node',
  '@u4/opencv4nodejs',
  'fastify',
  'ws',
  'koffi',
];
const pureRule = (extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ioModules, message: 'This folder is pure: no I/O imports (see STYLE.md, Layers).' },
        ...extra,
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'Pure code reads no process state; take it as input.' },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'models/cache/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['kiosk/core/**/*.ts', 'kiosk/credentials/**/*.ts'], rules: pureRule() },
  {
    files: ['firmware-bridge/protocols/**/*.ts'],
    rules: pureRule([
      {
        group: ['**/transports/**', '**/devices/**'],
        message: 'A protocol never imports a transport or device.',
      },
    ]),
  },
  {
    files: ['kiosk/renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', ...ioModules],
              message: 'The renderer sees only the bridge and kiosk/shared.',
            },
            {
              group: ['**/main/**', '**/host/**', '**/audit/**', '**/face/**', '**/sync/**'],
              message: 'Renderer imports only kiosk/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
