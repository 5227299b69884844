// Turns off zod's just-in-time compiled parsers before any schema exists. zod 4 probes
// `new Function('')` when it builds an object schema, to see whether it may compile a faster
// parser; under the app's Content-Security-Policy (no 'unsafe-eval') that probe is a reported
// CSP violation even though zod catches the error. Jitless parsing never tries. Import this
// module first in every entry point (the page and each worker), before anything that makes a
// schema.
//
// zod keeps its configuration on `globalThis.__zod_globalConfig`, the object `z.config()`
// writes to and every copy of zod in a page shares. Setting it here, rather than calling
// `z.config()`, keeps zod itself out of the first download: the first page makes no schema.
// test/unit/jitless.test.ts checks that zod reads what is set here.
const host = globalThis as { __zod_globalConfig?: Record<string, unknown> };
host.__zod_globalConfig = Object.assign(host.__zod_globalConfig ?? {}, { jitless: true });
