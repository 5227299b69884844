import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../scripts/lib/csp.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('content security policy', () => {
  const policy = directives(contentSecurityPolicy);

  it('defaults to the app’s own origin', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
  });

  it('allows no inline or evaluated script', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|strict-dynamic/);
  });

  it('names no other host in any directive', () => {
    for (const [, values] of policy) {
      for (const value of values) {
        expect(["'self'", "'none'", 'data:', 'blob:']).toContain(value);
      }
    }
  });

  it('lets fetches and workers reach only the own origin', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('worker-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
  });
});
