import { describe, expect, it } from 'vitest';
import { PREVIEW_LENGTH } from '../../src/contracts/messaging';
import { previewOf } from '../../src/features/messaging/conversation-access';

describe('the preview of a last message', () => {
  it('keeps a short message whole, on one line', () => {
    expect(previewOf('  Bonjour docteur,\n\nmerci pour\tl’ordonnance.  ')).toBe(
      'Bonjour docteur, merci pour l’ordonnance.',
    );
  });

  it('cuts a long message at a word and marks the cut', () => {
    const words = 'Je voudrais savoir si je peux prendre le traitement pendant le repas ou seulement avant';
    const preview = previewOf(`${words} ${words} ${words}`);
    expect(preview.endsWith('…')).toBe(true);
    expect(preview.length).toBeLessThanOrEqual(PREVIEW_LENGTH + 1);
    expect(`${words} ${words} ${words}`.startsWith(preview.slice(0, -1))).toBe(true);
    expect(preview.at(-2)).not.toBe(' ');
    // The cut falls between two words.
    expect(`${words} ${words} ${words}`[preview.length - 1]).toBe(' ');
  });

  it('cuts a long word where it must', () => {
    const preview = previewOf('x'.repeat(500));
    expect(preview).toBe(`${'x'.repeat(PREVIEW_LENGTH)}…`);
  });
});
