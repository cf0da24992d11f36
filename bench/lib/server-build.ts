import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformFileSync } from '@swc/core';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['libs', join('apps', 'api', 'src'), join('bench', 'server')];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.spec.ts') ? [] : [path];
  });

/**
 * Compiles the API and the bench server entry to plain JavaScript under dist/ (inside the repository,
 * so node_modules resolve), as `nest build` would: the measured server then carries neither the swc
 * compiler (~35 MB of RSS) nor inline source maps, only what production runs. `@segur/<lib>` imports
 * become relative paths. Returns the build's root; `remove()` it when done.
 */
export const buildServer = (): { root: string; remove: () => void } => {
  const out = join(ROOT, 'dist', `bench-api-${process.pid}`);
  for (const source of SOURCES)
    for (const file of sourceFiles(join(ROOT, source))) {
      const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      // Assets (JSON Schemas…) are required beside the code, as tsc's resolveJsonModule would copy them.
      if (!file.endsWith('.ts')) {
        copyFileSync(file, target);
        continue;
      }
      const { code } = transformFileSync(file, {
        filename: file,
        module: { type: 'commonjs', ignoreDynamic: true },
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
          baseUrl: ROOT,
          paths: { '@segur/*': ['libs/*/src/index.ts'] },
        },
        sourceMaps: false,
      });
      writeFileSync(target, code);
    }
  return { root: out, remove: () => rmSync(out, { recursive: true, force: true }) };
};
