/** Attachments: PDF, JPEG or PNG only, recognised by their first bytes (never by name or declared type). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;

export type AttachmentType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: { type: AttachmentType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export function sniffAttachmentType(data: Uint8Array): AttachmentType | null {
  for (const { type, bytes } of SIGNATURES) {
    if (data.length >= bytes.length && bytes.every((b, i) => data[i] === b)) return type;
  }
  return null;
}

/** A file name safe to show and to put in a download header: no paths, no control characters, bounded. */
export function cleanFileName(name: string, type: AttachmentType): string {
  const base = name
    .replace(/^.*[\\/]/, '')
    .replace(/[\p{Cc}"<>|:*?]/gu, '')
    .trim()
    .slice(0, 120);
  const extension = type === 'application/pdf' ? 'pdf' : type === 'image/png' ? 'png' : 'jpg';
  const stem = base.replace(/\.[^.]*$/, '') || 'document';
  return `${stem}.${extension}`;
}
