// The Content-Security-Policy of the built app, and the Vite plugin that writes it into
// index.html. An offline app needs nothing from any other origin, so everything is 'self'.
import type { Plugin } from 'vite';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style through the CSSOM, which CSP allows; no inline <style> or style="".
  "style-src 'self'",
  // data: for icons Vite inlines from nhsuk-frontend; blob: for viewing attached evidence.
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'self' blob:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Adds the CSP meta tag to the built index.html, straight after the charset so that it governs
 * every script and stylesheet that follows. Not in dev, where Vite injects inline scripts.
 */
export function cspMetaTag(): Plugin {
  return {
    name: 'reconnect:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const charset = /<meta charset="UTF-8"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html needs <meta charset="UTF-8" />');
        const tags =
          `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}" />\n` +
          '    <meta name="referrer" content="no-referrer" />';
        return html.replace(charset, (found) => `${found}\n    ${tags}`);
      },
    },
  };
}
