import { describe, expect, it } from 'vitest';
import { matchPath, queryParam } from '../../src/ui/router.ts';

describe('matchPath', () => {
  it('matches a literal path', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/verify', '/verify')).toEqual({});
  });

  it('extracts decoded parameters', () => {
    expect(matchPath('/records/:recordId/steps/:stepId', '/records/r%201/steps/s-2')).toEqual({
      recordId: 'r 1',
      stepId: 's-2',
    });
  });

  it('ignores the query string', () => {
    expect(matchPath('/records/:id', '/records/abc?tab=log')).toEqual({ id: 'abc' });
  });

  it('rejects paths of another shape', () => {
    expect(matchPath('/records/:id', '/records')).toBeNull();
    expect(matchPath('/records/:id', '/records/a/b')).toBeNull();
    expect(matchPath('/records/:id', '/devices/a')).toBeNull();
  });

  it('rejects malformed escapes instead of throwing', () => {
    expect(matchPath('/records/:id', '/records/%E0%A4%A')).toBeNull();
  });
});

describe('queryParam', () => {
  it('reads a parameter', () => {
    expect(queryParam('/x?a=1&b=two', 'b')).toBe('two');
    expect(queryParam('/x', 'b')).toBeNull();
  });
});
