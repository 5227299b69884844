// KB (Microsoft Knowledge Base) numbers as technicians paste them: "kb4012212, KB4012215"
// or one per line, normalised to upper case, de-duplicated, in the order given.

export const kbNumberPattern = /^KB\d{6,7}$/;

export interface KbParse {
  kbs: string[];
  invalid: string[];
}

export function parseKbList(input: string | readonly string[]): KbParse {
  const tokens = (typeof input === 'string' ? input.split(/[\s,;]+/) : [...input])
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  const kbs: string[] = [];
  const invalid: string[] = [];
  for (const token of tokens) {
    const normal = /^\d{6,7}$/.test(token) ? `KB${token}` : token.toUpperCase();
    if (!kbNumberPattern.test(normal)) invalid.push(token);
    else if (!kbs.includes(normal)) kbs.push(normal);
  }
  return { kbs, invalid };
}
