import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

// The Docker image installs with `npm ci --omit=dev`: a package that production code loads at run
// time but that is only a devDependency (or not declared at all, present by chance as someone
// else's dependency) breaks the image while every test passes. Each bare import of the apps' and
// libraries' production sources must be a declared dependency.
const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' || e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });

// Runtime imports only: `import type …` and `export type …` vanish at compilation.
const IMPORTS = [
  /^\s*import\s+(?!type\s)[^'";]*?\bfrom\s+'([^']+)'/gm,
  /^\s*import\s+'([^']+)'/gm,
  /^\s*export\s+(?!type\s)[^'";]*?\bfrom\s+'([^']+)'/gm,
  /\brequire\(\s*'([^']+)'\s*\)/g,
  /\bimport\(\s*'([^']+)'\s*\)/g,
];

const packageOf = (specifier: string): string | null => {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('@segur/'))
    return null;
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0]!;
  return builtinModules.includes(name) ? null : name;
};

describe('chaque application est construite par `npm run build`', () => {
  // `nest build worker` once built the worker *library*: dist/apps/worker did not exist and the
  // image's worker could not start.
  const nest = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as {
    projects: Record<string, { type: string; root: string }>;
  };
  const build = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }
  ).scripts.build;

  it.each(readdirSync(join(root, 'apps')))('apps/%s', (app) => {
    const built = Object.entries(nest.projects).filter(
      ([name, p]) =>
        p.type === 'application' && p.root === `apps/${app}` && build.includes(`nest build ${name}`),
    );
    expect(built.map(([name]) => name)).toHaveLength(1);
  });
});

// libs/client is published on its own (@segur/client): its imports answer to its own package.json.
const client = JSON.parse(readFileSync(join(root, 'libs/client/package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const dependenciesOf = (file: string): Record<string, string> =>
  relative(root, file).startsWith(join('libs', 'client') + '/') ? client.dependencies : pkg.dependencies;

describe('dépendances de production (npm ci --omit=dev)', () => {
  const files = [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))];

  it('trouve les sources de production', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('chaque paquet importé à l’exécution est dans "dependencies"', () => {
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of IMPORTS)
        for (const m of text.matchAll(pattern)) {
          const name = packageOf(m[1]!);
          if (name && !(name in dependenciesOf(file))) missing.push(`${name} (${relative(root, file)})`);
        }
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});
