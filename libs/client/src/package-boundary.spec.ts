import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// @segur/client is published on its own: it may import only its own files and its dependencies.
describe('@segur/client imports no server code', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    name: string;
    dependencies: Record<string, string>;
    exports: Record<string, unknown>;
  };

  it('is @segur/client with an export map', () => {
    expect(pkg.name).toBe('@segur/client');
    expect(Object.keys(pkg.exports)).toEqual(['.']);
  });

  it('every import is one of its files, a node: module or one of its dependencies', () => {
    const allowed = new Set(Object.keys(pkg.dependencies));
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const outside = files.flatMap((f) =>
      [...readFileSync(join(__dirname, f), 'utf8').matchAll(/from '([^']+)'/g)]
        .map((m) => m[1] ?? '')
        .filter((spec) => !/^\.\/[\w-]+$/.test(spec) && !spec.startsWith('node:') && !allowed.has(spec))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
