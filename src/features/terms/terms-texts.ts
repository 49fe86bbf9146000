import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locale } from '../../contracts/common';
import type { TermsKind } from '../../contracts/terms';

/**
 * The wording of each version lives in the repository, one markdown file per kind, version and language:
 * `texts/<kind>/v<version>.<locale>.md`. A version is only in force once published (terms_versions).
 */
export const TERMS_TEXTS_DIR = resolve(import.meta.dirname, 'texts');
const LOCALES: Locale[] = ['fr', 'it', 'en'];

export interface TermsTexts {
  read(kind: TermsKind, version: number, locale: Locale): string | undefined;
  /** Versions whose text exists in every language. */
  complete(kind: TermsKind): number[];
}

export function createTermsTexts(dir: string = TERMS_TEXTS_DIR): TermsTexts {
  const cache = new Map<string, string>();
  const file = (kind: TermsKind, version: number, locale: Locale) =>
    join(dir, kind, `v${version}.${locale}.md`);
  return {
    read(kind, version, locale) {
      const path = file(kind, version, locale);
      let text = cache.get(path);
      if (text === undefined) {
        if (!existsSync(path)) return undefined;
        text = readFileSync(path, 'utf8');
        cache.set(path, text);
      }
      return text;
    },
    complete(kind) {
      const folder = join(dir, kind);
      if (!existsSync(folder)) return [];
      const versions = new Set<number>();
      for (const name of readdirSync(folder)) {
        const match = /^v(\d+)\.(fr|it|en)\.md$/.exec(name);
        if (match) versions.add(Number(match[1]));
      }
      return [...versions]
        .filter((version) => LOCALES.every((locale) => existsSync(file(kind, version, locale))))
        .sort((a, b) => a - b);
    },
  };
}
