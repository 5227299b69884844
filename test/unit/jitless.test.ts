// The app turns zod's compiled parsers off without importing zod on the first page: zod must
// read the setting, or its `new Function` probe breaks the Content-Security-Policy.
import { expect, it } from 'vitest';
import '../../src/checklist/jitless.ts';
import { z } from 'zod';

it('leaves zod configured jitless', () => {
  expect(z.config().jitless).toBe(true);
});

it('still parses with the setting in place', () => {
  expect(z.object({ a: z.string() }).safeParse({ a: 1 }).success).toBe(false);
});
