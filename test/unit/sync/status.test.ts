// Sync problems read as plain words that say what happened and what to do; what a person types
// for the server is checked, field by field, before anything is sent.
import { describe, expect, it } from 'vitest';
import {
  checkSyncTarget,
  describeNoNetwork,
  describeReceiveError,
  describeRefused,
  describeSyncError,
  lastSyncedWords,
} from '../../../src/sync/status.ts';

const target = {
  server: 'https://couch.trust.example',
  database: 'rxx-reconnect',
  username: 'sam',
};

function expectProblem(error: unknown, kind: string, message: RegExp) {
  const problem = describeSyncError(error, target);
  expect(problem.kind).toBe(kind);
  expect(problem.message).toMatch(message);
}

function errorsOf(input: { server: string; database: string; username: string }) {
  const result = checkSyncTarget(input);
  if (result.ok) throw new Error('expected the settings to be refused');
  return result.errors;
}

describe('describeSyncError', () => {
  it('tells an unreachable server from a wrong password, no access and a missing database', () => {
    expectProblem(
      new TypeError('Failed to fetch'),
      'unreachable',
      /Cannot reach the sync server at https:\/\/couch.trust.example/,
    );
    expectProblem({ status: 0, name: 'unknown' }, 'unreachable', /saved on this device/);
    expectProblem(
      { status: 401, reason: 'Name or password is incorrect.' },
      'wrong-password',
      /“sam”/,
    );
    expectProblem(
      { status: 403, reason: 'You are not allowed' },
      'no-access',
      /You are not allowed/,
    );
    expectProblem({ status: 404 }, 'no-database', /no database called “rxx-reconnect”/);
    expectProblem({ status: 500, message: 'boom' }, 'unexpected', /\(500: boom\)/);
  });

  it('counts refused changes and quotes the first reason', () => {
    const two = describeRefused(
      [
        { id: 'event:a', reason: 'it cannot be edited' },
        { id: 'event:b', reason: 'x' },
      ],
      target,
    );
    expect(two.kind).toBe('refused');
    expect(two.message).toMatch(/refused to store 2 changes \(first: it cannot be edited\)/);
    expect(describeRefused([{ id: 'event:a', reason: 'r' }], target).message).toMatch(/1 change /);
  });

  it('tells a device without a network from a server that cannot be reached', () => {
    const offline = describeNoNetwork(target);
    expect(offline.kind).toBe('unreachable');
    expect(offline.message).toMatch(/^This device is offline, so it cannot reach/);
    expect(offline.message).toMatch(/carries on by itself when the network is back/);
  });

  it('says a failure to store what was pulled is this device’s, and that nothing is lost', () => {
    const problem = describeReceiveError(new Error('QuotaExceededError'));
    expect(problem.kind).toBe('not-stored');
    expect(problem.message).toMatch(/This device could not store changes .*\(QuotaExceededError\)/);
    expect(problem.message).toMatch(/Nothing is lost/);
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
    const errors = errorsOf({ server: 'couch', database: 'RXX Reconnect', username: ' ' });
    expect(Object.keys(errors).sort()).toEqual(['database', 'server', 'username']);
    expect(errors.server).toMatch(/Enter the sync server’s address/);
    expect(errors.database).toMatch(/lower-case letter/);
    expect(errors.username).toBe('Enter your sync user name');
    expect(
      errorsOf({ server: 'https://couch.example/db', database: 'a', username: 'u' }).server,
    ).toMatch(/without a path/);
    expect(
      errorsOf({ server: 'https://u:p@couch.example', database: 'a', username: 'u' }).server,
    ).toMatch(/user name or password/);
    expect(
      errorsOf({ server: 'ftp://couch.example', database: 'a', username: 'u' }).server,
    ).toMatch(/https:\/\//);
  });
});
