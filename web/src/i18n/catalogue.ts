import en from './en.json';
import fr from './fr.json';
import it from './it.json';

/** A translation tree: nested objects whose leaves are the texts. */
export type TranslationTree = { [key: string]: string | TranslationTree };

type Locale = 'fr' | 'it' | 'en';

/**
 * Features may keep their texts beside their code, in `features/<name>/i18n/<locale>.json`; they are
 * merged into the shared catalogue, so that a feature's keys (including its `errors.*`) live with it.
 */
const featureFiles = import.meta.glob<TranslationTree>('../features/*/i18n/*.json', {
  eager: true,
  import: 'default',
});

function merge(target: TranslationTree, source: TranslationTree, path: string): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const keyPath = path ? `${path}.${key}` : key;
    if (typeof value === 'string') {
      if (existing !== undefined) throw new Error(`Translation key defined twice: ${keyPath}`);
      target[key] = value;
    } else if (existing === undefined) {
      target[key] = structuredClone(value);
    } else if (typeof existing === 'string') {
      throw new Error(`Translation key defined twice: ${keyPath}`);
    } else {
      merge(existing, value, keyPath);
    }
  }
}

function build(locale: Locale, base: TranslationTree): TranslationTree {
  const tree = structuredClone(base);
  for (const [file, texts] of Object.entries(featureFiles)) {
    if (file.endsWith(`/i18n/${locale}.json`)) merge(tree, texts, '');
  }
  return tree;
}

export const catalogues: Record<Locale, TranslationTree> = {
  en: build('en', en),
  fr: build('fr', fr),
  it: build('it', it),
};
