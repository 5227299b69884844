import { act, render, screen, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app/App.tsx';
import { pwaStub } from '../stubs/pwa-register-react.ts';

function stubStorage(persisted: boolean) {
  Object.defineProperty(navigator, 'storage', {
    configurable: true,
    value: {
      persisted: () => Promise.resolve(persisted),
      persist: () => Promise.resolve(persisted),
      estimate: () => Promise.resolve({ usage: 2 * 1024 * 1024, quota: 100 * 1024 * 1024 }),
    },
  });
}

describe('app shell', () => {
  beforeEach(() => {
    pwaStub.reset();
    window.history.replaceState(null, '', '/');
    stubStorage(true);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('has a skip link, a banner with the service name, main content and a footer', async () => {
    render(<App />);
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute(
      'href',
      '#maincontent',
    );
    const banner = screen.getByRole('banner');
    expect(within(banner).getByRole('link', { name: 'Reconnect' })).toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveAttribute('id', 'maincontent');
    expect(screen.getByRole('contentinfo')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: /reconnect safely/i }),
    ).toBeInTheDocument();
    expect(await screen.findByText(/Storage: persistent/)).toBeInTheDocument();
    expect(screen.getByText(/Using 2\.0 MB of 100 MB/)).toBeInTheDocument();
  });

  it('warns when storage is not persistent', async () => {
    stubStorage(false);
    render(<App />);
    expect(await screen.findByText(/Storage: not persistent/)).toBeInTheDocument();
  });

  it('shows the not-found page for an unknown path, and links home', async () => {
    window.history.replaceState(null, '', '/no/such/page');
    render(<App />);
    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('link', { name: 'Go to your records' }));
    expect(window.location.pathname).toBe('/');
    expect(
      screen.getByRole('heading', { level: 1, name: /reconnect safely/i }),
    ).toBeInTheDocument();
    // Focus moves to the new page's heading, so screen readers announce it.
    expect(screen.getByRole('heading', { level: 1 })).toHaveFocus();
  });

  it('follows the browser back button', async () => {
    window.history.replaceState(null, '', '/missing');
    render(<App />);
    await userEvent.click(screen.getByRole('link', { name: 'Go to your records' }));
    expect(screen.queryByText('Page not found')).not.toBeInTheDocument();
    await act(() => {
      window.history.back();
    });
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});

describe('update prompt', () => {
  beforeEach(() => {
    pwaStub.reset();
    stubStorage(true);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers a reload for a new version and reloads only when asked', async () => {
    pwaStub.needRefresh = true;
    render(<App />);
    expect(screen.getByText('A new version is available')).toBeInTheDocument();
    expect(pwaStub.updateCalls).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(pwaStub.updateCalls).toEqual([true]);
  });

  it('can be put off', async () => {
    pwaStub.needRefresh = true;
    render(<App />);
    await userEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByText('A new version is available')).not.toBeInTheDocument();
    expect(pwaStub.updateCalls).toEqual([]);
  });

  it('says once that the app is available offline', async () => {
    pwaStub.offlineReady = true;
    render(<App />);
    expect(screen.getByText('Reconnect is now available offline')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('Reconnect is now available offline')).not.toBeInTheDocument();
  });
});
