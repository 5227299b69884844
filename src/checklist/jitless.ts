// Turns off zod's just-in-time compiled parsers before any schema exists. zod 4 probes
// `new Function('')` when it builds an object schema, to see whether it may compile a faster
// parser; under the app's Content-Security-Policy (no 'unsafe-eval') that probe is a reported
// CSP violation even though zod catches the error. Jitless parsing never tries. Import this
// module first in every entry point (the page and each worker), before anything that makes a
// schema.
import { z } from 'zod';

z.config({ jitless: true });
