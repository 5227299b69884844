// The printed record's running header and page numbers: "Page X of Y" and the organisation,
// record id and digest on every page, as CSS @page margin boxes (Chromium 131 and later print
// them; checked by printing to PDF and reading it back). The header names this record, so it is
// a stylesheet made for it and adopted while the record is shown, not a fixed rule in main.scss.
import { useEffect } from 'react';

/** A CSS string literal holding `text` (quotes, backslashes and line ends escaped). */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

export function recordPageRules(header: { lines: string[] }): string {
  const content = header.lines.map(cssString).join(' "\\A" ');
  return `@media print {
  @page {
    margin: 26mm 12mm 16mm;
    @top-left {
      content: ${content};
      white-space: pre-wrap;
      font-family: arial, sans-serif;
      font-size: 9pt;
      vertical-align: bottom;
      padding-bottom: 3mm;
    }
    @bottom-right {
      content: "Page " counter(page) " of " counter(pages);
      font-family: arial, sans-serif;
      font-size: 10pt;
    }
  }
  .app-record .app-record__ids,
  .app-record .app-record__ids .app-mono {
    font-size: 10pt;
  }
}`;
}

/** Adopts the record's page rules while it is shown; removes them when it goes. */
export function useRecordPageRules(header: { lines: string[] }): void {
  const rules = recordPageRules(header);
  useEffect(() => {
    if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return;
    const sheet = new CSSStyleSheet();
    try {
      sheet.replaceSync(rules);
    } catch {
      return;
    }
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [rules]);
}
