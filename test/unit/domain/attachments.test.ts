import { describe, expect, it } from 'vitest';
import { cleanFileName, sniffAttachmentType } from '../../../src/domain/attachments';

describe('attachments', () => {
  it('recognises PDF, JPEG and PNG by their first bytes only', () => {
    expect(sniffAttachmentType(Buffer.from('%PDF-1.4 rest'))).toBe('application/pdf');
    expect(sniffAttachmentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffAttachmentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      'image/png',
    );
    expect(sniffAttachmentType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('<html>%PDF-'))).toBeNull();
    expect(sniffAttachmentType(Buffer.alloc(0))).toBeNull();
  });

  it('makes file names safe and gives them the extension of their real type', () => {
    expect(cleanFileName('C:\\Users\\x\\ordonnance.exe', 'application/pdf')).toBe('ordonnance.pdf');
    expect(cleanFileName('../../etc/passwd', 'image/png')).toBe('passwd.png');
    expect(cleanFileName('"<bad>".jpeg', 'image/jpeg')).toBe('bad.jpg');
    expect(cleanFileName('', 'application/pdf')).toBe('document.pdf');
  });
});
