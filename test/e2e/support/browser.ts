/**
 * Browser tests run Debian's Chromium (`/usr/bin/chromium`, installed by `npm test`'s pretest)
 * through playwright-core, headless, with a fresh empty profile and the flags that keep it from
 * reaching the network on its own. No browser is ever downloaded.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'wizard');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, for the tests to assert there were none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile in a temporary folder. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'rotor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Shorter than the test timeout, so a missing element fails with Playwright's own message.
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under `test-artifacts/wizard/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** The accessible name of the focused element: aria-label, aria-labelledby, its label, or its text. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const byAria = element.getAttribute('aria-label');
    if (byAria) return byAria;
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) {
      return labelledBy
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim();
    }
    const label = (element as HTMLInputElement).labels?.[0]?.textContent;
    return (label ?? element.textContent ?? '').trim();
  });
}

/**
 * Presses Tab (at most `limit` times) until the focused element's accessible name matches: proves
 * the control is reachable from the keyboard.
 */
export async function tabTo(page: Page, name: RegExp, limit = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current.slice(0, 40));
  }
  throw new Error(
    `No control named ${name} within ${limit} Tab presses; focused in turn: ${seen.join(' | ')}`,
  );
}

/** The text a user sees in `locator` (rendered text: hidden elements left out). */
export function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here.
  return locator.innerText();
}
