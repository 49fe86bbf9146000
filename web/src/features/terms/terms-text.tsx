import type { ReactNode } from 'react';

type Block =
  | { type: 'heading'; level: 1 | 2; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] };

/** Splits the terms' markdown subset (`#`, `##`, paragraphs, `- ` lists) into blocks. */
export function parseTerms(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    const trimmed = line.trim();
    const previous = blocks.at(-1);
    if (!trimmed) {
      blocks.push({ type: 'paragraph', text: '' });
    } else if (trimmed.startsWith('## ')) {
      blocks.push({ type: 'heading', level: 2, text: trimmed.slice(3) });
    } else if (trimmed.startsWith('# ')) {
      blocks.push({ type: 'heading', level: 1, text: trimmed.slice(2) });
    } else if (trimmed.startsWith('- ')) {
      if (previous?.type === 'list') previous.items.push(trimmed.slice(2));
      else blocks.push({ type: 'list', items: [trimmed.slice(2)] });
    } else if (previous?.type === 'paragraph' && previous.text) {
      previous.text += ` ${trimmed}`;
    } else {
      blocks.push({ type: 'paragraph', text: trimmed });
    }
  }
  return blocks.filter((block) => block.type !== 'paragraph' || block.text);
}

/** `**bold**` spans, the only inline markup the texts use. */
function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*)/).map((part, index) =>
    part.startsWith('**') && part.endsWith('**') ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never move.
      <strong key={index}>{part.slice(2, -2)}</strong>
    ) : (
      part
    ),
  );
}

/**
 * Renders the terms as React elements (never as HTML). The document's own title becomes a heading one
 * level below the page's (`headingLevel`), so the page keeps a single h1.
 */
export function TermsText({ markdown, headingLevel = 2 }: { markdown: string; headingLevel?: 1 | 2 }) {
  const blocks = parseTerms(markdown);
  return (
    <div className="terms-text">
      {blocks.map((block, index) => {
        const key = `${block.type}-${index}`;
        if (block.type === 'heading') {
          const level = Math.min(block.level + headingLevel - 1, 4);
          const Heading = `h${level}` as 'h1' | 'h2' | 'h3' | 'h4';
          return <Heading key={key}>{block.text}</Heading>;
        }
        if (block.type === 'list')
          return (
            <ul key={key}>
              {block.items.map((item) => (
                <li key={item}>{inline(item)}</li>
              ))}
            </ul>
          );
        return <p key={key}>{inline(block.text)}</p>;
      })}
    </div>
  );
}
