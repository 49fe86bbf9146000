import { strToU8, type Zippable, zipSync } from 'fflate';

/** One file of a data export: a path inside the archive and its content. */
export interface ArchiveEntry {
  path: string;
  content: Uint8Array | string;
}

export const jsonEntry = (path: string, value: unknown): ArchiveEntry => ({
  path,
  content: `${JSON.stringify(value, null, 2)}\n`,
});

/**
 * Builds the ZIP from a flat list of entries. The export gathers its entries first, so anything else that
 * belongs in the archive (the FHIR R4 Bundle of the patient, `fhir/bundle.json`) is one more entry.
 */
export function buildArchive(entries: ArchiveEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const entry of entries) {
    if (files[entry.path]) throw new Error(`duplicate archive path ${entry.path}`);
    const data = typeof entry.content === 'string' ? strToU8(entry.content) : entry.content;
    // JSON compresses well; images and PDFs are already compressed.
    files[entry.path] = [data, { level: typeof entry.content === 'string' ? 6 : 0 }];
  }
  return zipSync(files, { mtime: new Date(Date.UTC(2026, 0, 1)) });
}

/** A file name safe inside an archive: no directories, no control characters. */
export function safeFileName(name: string): string {
  const cleaned = [...name]
    .map((char) => (char.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(char) ? '_' : char))
    .join('')
    .trim();
  return cleaned.slice(-120) || 'file';
}
