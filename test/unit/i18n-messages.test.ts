import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Every message key the admin UI names in its source must exist in the English
 * messages (admin-ui/src/i18n/en.ts), and JSX must not carry English text of
 * its own. A plain source scan, no TypeScript parsing:
 * - a string literal that is a whole key ('resources.x.y', "app.z", 'ra.action.save');
 * - a key built from a helper such as `const t = (key: string) => \`resources.runs.${key}\``
 *   called with a literal, in the file that defines it or imports it;
 * - a template literal or helper call with a `${…}` part: its static prefix
 *   (`resources.runs.controls.`) must name a group of messages.
 */

const uiRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../admin-ui/src');
const KEY = /^(?:resources|app|ra)\.[A-Za-z0-9_.-]*[A-Za-z0-9_-]$/;

type Messages = { [key: string]: string | Messages };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The message or group at a dotted path, or undefined. */
function lookup(messages: Messages, key: string): string | Messages | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

/** Strips comments so keys mentioned in prose are not checked (a rough cut: good enough for this codebase). */
const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** Helpers of the form `const NAME = (x: string) => \`PREFIX${x}\``, by name. */
function helpersDefinedIn(source: string): Map<string, string> {
  const helpers = new Map<string, string>();
  const definition =
    /const\s+(\w+)\s*=\s*\(\s*(\w+)\s*(?::\s*string)?\s*\)\s*=>\s*`((?:resources|app|ra)\.[A-Za-z0-9_.-]*)\$\{\s*\2\s*\}`/g;
  for (const match of source.matchAll(definition)) helpers.set(match[1]!, match[3]!);
  return helpers;
}

interface Use {
  file: string;
  key: string;
  /** A prefix of a computed key: must name a group, not a single message. */
  prefix?: boolean;
}

function usesIn(files: string[]): Use[] {
  const sources = new Map(files.map((file) => [file, withoutComments(readFileSync(file, 'utf8'))]));
  const definedBy = new Map(files.map((file) => [file, helpersDefinedIn(sources.get(file)!)]));
  const resolveImport = (from: string, spec: string) =>
    ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => resolve(dirname(from), spec) + ext).find((path) => definedBy.has(path));

  const uses: Use[] = [];
  for (const [file, source] of sources) {
    const name = relative(uiRoot, file);
    const helpers = new Map(definedBy.get(file));
    for (const match of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'(\.[^']*)'/g)) {
      const target = resolveImport(file, match[2]!);
      const exported = target ? definedBy.get(target) : undefined;
      if (!exported) continue;
      for (const imported of match[1]!.split(',').map((s) => s.trim().split(/\s+as\s+/))) {
        const prefix = exported.get(imported[0]!);
        if (prefix) helpers.set(imported[1] ?? imported[0]!, prefix);
      }
    }

    for (const match of source.matchAll(/(['"])((?:resources|app|ra)\.[^'"\s]*)\1/g)) {
      const key = match[2]!;
      if (KEY.test(key)) uses.push({ file: name, key });
      else if (key.endsWith('.')) uses.push({ file: name, key: key.slice(0, -1), prefix: true });
    }
    for (const match of source.matchAll(/`((?:resources|app|ra)\.[A-Za-z0-9_.-]*)\$\{/g)) {
      const stem = match[1]!;
      if (stem.endsWith('.')) uses.push({ file: name, key: stem.slice(0, -1), prefix: true });
    }
    for (const [helper, prefix] of helpers) {
      const call = new RegExp(`(?<![\\w.])${helper}\\(\\s*(?:(['"])([^'"]*)\\1|\`([^\`$]*)\\$\\{)`, 'g');
      for (const match of source.matchAll(call)) {
        if (match[2] !== undefined) uses.push({ file: name, key: `${prefix}${match[2]}` });
        else if (match[3]!.endsWith('.') || match[3] === '') {
          const stem = `${prefix}${match[3]}`;
          uses.push({ file: name, key: stem.slice(0, -1), prefix: true });
        }
      }
    }
  }
  return uses;
}

describe('admin UI messages', () => {
  let en: Messages;
  const files = sourceFiles(uiRoot);

  beforeAll(async () => {
    // Loaded at run time (Vite resolves the UI's extensionless imports); typed loosely on purpose.
    const module = (await import(join(uiRoot, 'i18n/en.ts'))) as { en: Messages };
    en = module.en;
  });

  it('finds the keys the UI uses (the scan itself works)', () => {
    const uses = usesIn(files);
    // Direct literals, helper calls and computed prefixes are all present in this codebase.
    expect(uses.some((u) => u.key === 'resources.users.actions.create')).toBe(true);
    expect(uses.some((u) => u.key.startsWith('resources.runs.') && u.file.startsWith('runs/') && !u.prefix)).toBe(true);
    expect(uses.some((u) => u.prefix)).toBe(true);
    expect(lookup(en, 'resources.nope.missing')).toBeUndefined();
  });

  it('has an English message for every key used in admin-ui/src', () => {
    const missing = usesIn(files)
      .filter((use) => {
        const found = lookup(en, use.key);
        return use.prefix ? found === undefined || typeof found === 'string' : found === undefined;
      })
      .map((use) => `${use.file}: ${use.key}${use.prefix ? '.…' : ''}`);
    expect([...new Set(missing)].sort()).toEqual([]);
  });

  it('has no English text hard-coded in JSX (text nodes or label/title/placeholder/helperText/aria-label)', () => {
    const found: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.tsx'))) {
      const source = withoutComments(readFileSync(file, 'utf8'));
      const name = relative(uiRoot, file);
      // Text between tags with two or more letter words, e.g. `<Button>Save changes</Button>`.
      for (const match of source.matchAll(/>\s*([A-Za-z][^<>{}=;()`]*[A-Za-z]{2,}[^<>{}=;()`]*?)\s*<\//g)) {
        found.push(`${name}: >${match[1]}<`);
      }
      const attribute = /\b(label|title|placeholder|helperText|aria-label|emptyText|alt)="([^"]*)"/g;
      for (const match of source.matchAll(attribute)) {
        const value = match[2]!;
        if (/[A-Za-z]/.test(value) && !KEY.test(value) && !(match[1] === 'title' && /\/App\.tsx$/.test(file))) {
          found.push(`${name}: ${match[1]}="${value}"`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
