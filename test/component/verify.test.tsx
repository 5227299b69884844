// The verify page: a verdict for the file chosen, never one left over from an earlier file,
// and a plain message when a file cannot be read at all.
import { screen, waitFor } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { signRecord } from '../../src/record/sign.ts';
import { makeKey, recordFor } from '../unit/record/helpers.ts';
import { renderAt } from './helpers.tsx';

async function signedFile(): Promise<File> {
  const key = await makeKey('Dr Alison Hart', 'SIRO');
  const { text } = await signRecord(recordFor(key.approverKey, 3), key.approverKey, key.signingKey);
  return new File([text], 'record.json', { type: 'application/json' });
}

describe('the verify page', () => {
  it('clears an "Intact" verdict as soon as another file is chosen', async () => {
    renderAt('/verify');
    const input = await screen.findByLabelText('Record file');
    await userEvent.upload(input, await signedFile());
    expect(await screen.findByText('Intact')).toBeInTheDocument();

    // A file the browser cannot read (moved or removed since it was chosen).
    const unreadable = new File(['{}'], 'gone.json', { type: 'application/json' });
    Object.defineProperty(unreadable, 'arrayBuffer', {
      value: () => Promise.reject(new DOMException('The file was removed', 'NotFoundError')),
    });
    await userEvent.upload(input, unreadable);
    expect(screen.queryByText('Intact')).not.toBeInTheDocument();
    const verdict = await screen.findByRole('heading', { name: 'Not valid' });
    expect(verdict).toBeInTheDocument();
    expect(input).toHaveAccessibleDescription(
      'gone.json: The file could not be read (The file was removed). Choose it again, or copy it to this device first.',
    );
  });

  it('refuses a file far larger than any record without reading it', async () => {
    renderAt('/verify');
    const input = await screen.findByLabelText('Record file');
    const huge = new File(['{}'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(huge, 'size', { value: 2 * 1024 * 1024 * 1024 });
    Object.defineProperty(huge, 'arrayBuffer', {
      value: () => Promise.reject(new Error('should not be read')),
    });
    await userEvent.upload(input, huge);
    await waitFor(() => {
      expect(input).toHaveAccessibleDescription(
        'huge.json: This is not a Reconnect record: at 2048 MB it is far larger than any record.',
      );
    });
  });
});
