// Guidance text from a checklist, rendered as React elements from parsed blocks: paragraphs,
// bullet lists and inline code. Never as HTML.
import { parseGuidance, parseInline, type Inline } from '../../checklist/guidance.ts';

export function InlineText({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'code' ? (
          <code key={i} className="app-code">
            {part.text}
          </code>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

/** A single line of text that may hold `inline code` (a note, a hint, a reference value). */
export function InlineCode({ text }: { text: string }) {
  return <InlineText parts={parseInline(text)} />;
}

export function Guidance({ text }: { text: string }) {
  return (
    <>
      {parseGuidance(text).map((block, i) =>
        block.kind === 'paragraph' ? (
          <p key={i}>
            <InlineText parts={block.content} />
          </p>
        ) : (
          <ul key={i} className="nhsuk-list nhsuk-list--bullet">
            {block.items.map((item, j) => (
              <li key={j}>
                <InlineText parts={item} />
              </li>
            ))}
          </ul>
        ),
      )}
    </>
  );
}
