// Guidance text as authors write it — paragraphs, "- " bullet lists and `inline code` — parsed
// into plain blocks the UI renders as React elements. Nothing is ever treated as HTML.

export type Inline = { kind: 'text'; text: string } | { kind: 'code'; text: string };
export type GuidanceBlock =
  { kind: 'paragraph'; content: Inline[] } | { kind: 'list'; items: Inline[][] };

export function parseInline(text: string): Inline[] {
  const parts: Inline[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push({ kind: 'code', text: match[1] ?? '' });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

export function parseGuidance(text: string): GuidanceBlock[] {
  const blocks: GuidanceBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flushParagraph = () => {
    if (paragraph.length > 0)
      blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  const flushList = () => {
    if (list && list.length > 0) blocks.push({ kind: 'list', items: list.map(parseInline) });
    list = null;
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    if (line === '') {
      flushParagraph();
      flushList();
    } else if (bullet) {
      flushParagraph();
      list ??= [];
      list.push(bullet[1] ?? '');
    } else if (list && /^\s{2,}/.test(raw)) {
      // An indented line continues the previous bullet.
      list[list.length - 1] = `${list[list.length - 1] ?? ''} ${line}`;
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}
