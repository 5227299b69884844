// Sync problems read as plain words that say what happened and what to do; what a person types
// for the server is checked, field by field, before anything is sent.
import { describe, expect, it } from 'vitest';
import {
  checkSyncTarget,
  describeRefused,
  describeSyncError,
  lastSyncedWords,
} from '../../../src/sync/status.ts';

const target = {
  server: 'https://couch.trust.example',
  database: 'rxx-reconnect',
  username: 'sam',
};

describe('describeSyncError', () => {
  it('tells an unreachable server from a wrong password, no access and a missing database', () => {
    expect(describeSyncError(new TypeError('Failed to fetch'), target)).toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(
        /Cannot reach the sync server at https:\/\/couch.trust.example/,
      ),
    });
    expect(describeSyncError({ status: 0, name: 'unknown' }, target).kind).toBe('unreachable');
    expect(
      describeSyncError({ status: 401, reason: 'Name or password is incorrect.' }, target),
    ).toMatchObject({ kind: 'wrong-password', message: expect.stringMatching(/“sam”/) });
    expect(describeSyncError({ status: 403, reason: 'You are not allowed' }, target)).toMatchObject(
      {
        kind: 'no-access',
        message: expect.stringMatching(/You are not allowed/),
      },
    );
    expect(describeSyncError({ status: 404 }, target)).toMatchObject({
      kind: 'no-database',
      message: expect.stringMatching(/no database called “rxx-reconnect”/),
    });
    expect(describeSyncError({ status: 500, message: 'boom' }, target)).toMatchObject({
      kind: 'unexpected',
      message: expect.stringMatching(/\(500: boom\)/),
    });
  });

  it('counts refused changes and quotes the first reason', () => {
    expect(
      describeRefused(
        [
          { id: 'event:a', reason: 'it cannot be edited' },
          { id: 'event:b', reason: 'x' },
        ],
        target,
      ).message,
    ).toMatch(/refused to store 2 changes \(first: it cannot be edited\)/);
    expect(describeRefused([{ id: 'event:a', reason: 'r' }], target).message).toMatch(/1 change /);
  });
});

describe('lastSyncedWords', () => {
  const now = new Date('2017-05-15T12:00:00Z');
  it('says how long ago, in words', () => {
    expect(lastSyncedWords(undefined, now)).toBe('Not synced yet');
    expect(lastSyncedWords('2017-05-15T11:59:30Z', now)).toBe('Last synced less than a minute ago');
    expect(lastSyncedWords('2017-05-15T11:59:00Z', now)).toBe('Last synced 1 minute ago');
    expect(lastSyncedWords('2017-05-15T11:15:00Z', now)).toBe('Last synced 45 minutes ago');
    expect(lastSyncedWords('2017-05-15T09:00:00Z', now)).toBe('Last synced 3 hours ago');
    expect(lastSyncedWords('2017-05-13T12:00:00Z', now)).toBe('Last synced 2 days ago');
  });
});

describe('checkSyncTarget', () => {
  it('accepts an origin, a database name and a user', () => {
    expect(
      checkSyncTarget({
        server: ' https://Couch.Trust.example:6984 ',
        database: 'rxx-reconnect',
        username: 'sam',
      }),
    ).toEqual({
      ok: true,
      origin: 'https://couch.trust.example:6984',
      target: {
        server: 'https://couch.trust.example:6984',
        database: 'rxx-reconnect',
        username: 'sam',
      },
    });
  });

  it('names each field that is wrong', () => {
    const result = checkSyncTarget({ server: 'couch', database: 'RXX Reconnect', username: ' ' });
    expect(result).toEqual({
      ok: false,
      errors: {
        server: expect.stringMatching(/Enter the sync server’s address/),
        database: expect.stringMatching(/lower-case letter/),
        username: 'Enter your sync user name',
      },
    });
    const withPath = checkSyncTarget({
      server: 'https://couch.example/db',
      database: 'a',
      username: 'u',
    });
    expect(withPath).toMatchObject({
      ok: false,
      errors: { server: expect.stringMatching(/without a path/) },
    });
    const withCreds = checkSyncTarget({
      server: 'https://u:p@couch.example',
      database: 'a',
      username: 'u',
    });
    expect(withCreds).toMatchObject({
      ok: false,
      errors: { server: expect.stringMatching(/user name or password/) },
    });
    const ftp = checkSyncTarget({ server: 'ftp://couch.example', database: 'a', username: 'u' });
    expect(ftp).toMatchObject({
      ok: false,
      errors: { server: expect.stringMatching(/https:\/\//) },
    });
  });
});
