/**
 * A hash router: `#/secrets`, `#/create`, `#/secrets/<name>`. Hash routes need nothing from the
 * server (every page is `index.html`), and no router package is installed.
 */
import { useEffect, useState } from 'react';

export type Route = { page: 'list' } | { page: 'create' } | { page: 'details'; secretId: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/create') return { page: 'create' };
  const details = /^\/secrets\/(.+)$/.exec(path);
  if (details?.[1]) return { page: 'details', secretId: decodeURIComponent(details[1]) };
  return { page: 'list' };
}

export function hrefOf(route: Route): string {
  if (route.page === 'create') return '#/create';
  if (route.page === 'details') return `#/secrets/${encodeURIComponent(route.secretId)}`;
  return '#/secrets';
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

let flash: string | undefined;

/** A one-time message for the next page (e.g. "stored; the first rotation is running"). */
export function setFlash(message: string): void {
  flash = message;
}

/** Takes the one-time message, if any. */
export function takeFlash(): string | undefined {
  const message = flash;
  flash = undefined;
  return message;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
