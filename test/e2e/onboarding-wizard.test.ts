/**
 * End to end, in a real browser: the console served beside the local stack, Debian's Chromium
 * driven by playwright-core. A Salesforce secret is onboarded through the wizard against the
 * simulator and its first rotation is watched to the end; invalid input is refused inline and
 * creates nothing; a Test rotation runs and shows in the audit records and events; the main flow
 * works from the keyboard alone. Each wizard step is saved as a screenshot under
 * `test-artifacts/wizard/`.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceSeed } from '../../partners/salesforce/simulator/index.ts';
import { startConsoleForStack } from '../../src/cli/commands/console.ts';
import type { ConsoleServer } from '../../src/console/server.ts';
import { ensureWizardBuilt } from '../../src/console/wizard-build.ts';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { launchBrowser, screenshot, type TestBrowser, tabTo, visibleText } from './support/browser.ts';

const PARTNER = 'Salesforce External Client App';
let stack: LocalStack;
let sm: SecretsManagerClient;
let server: ConsoleServer;
let browser: TestBrowser;

beforeAll(async () => {
  await ensureWizardBuilt();
  stack = await startLocalStack({ port: 0, simulatorPort: 0 });
  sm = new SecretsManagerClient({
    endpoint: stack.endpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  server = await startConsoleForStack(stack, { port: 0 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stack?.close();
});

function simulator() {
  const running = stack.simulators.find((s) => s.type === 'SalesforceClientSecret')?.simulator;
  if (!running) throw new Error('the local stack runs no Salesforce simulator');
  return running;
}

async function secretNames(): Promise<string[]> {
  return ((await sm.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => s.Name ?? '');
}

/** Opens a fresh wizard from the secrets list (a new route, so no state from an earlier test). */
async function openWizard(page: Page): Promise<void> {
  await page.goto(`${server.url}#/secrets`);
  await page.getByRole('link', { name: 'Store a new secret' }).click();
  await page.getByRole('radio', { name: `Select ${PARTNER}` }).waitFor();
}

async function next(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

/** Waits until the details page shows the latest rotation finished, and returns its result. */
async function rotationResult(page: Page): Promise<string> {
  const finish = page.locator('[data-step="finishSecret"][data-status="succeeded"], [data-status="failed"]');
  await finish.first().waitFor({ timeout: 30_000 });
  return (await finish.first().getAttribute('data-status')) ?? '';
}

/** The browser's rendering of a date (the console shows dates with `toLocaleString`). */
function shownDate(page: Page, iso: Date | undefined): Promise<string> {
  if (!iso) throw new Error('no date to show');
  return page.evaluate((time) => new Date(time).toLocaleString(), iso.toISOString());
}

/** Rows of the details page's Events or Audit records table. */
function rowsOf(page: Page, table: 'Events' | 'Audit records') {
  return page.getByRole('table', { name: table }).getByRole('row');
}

async function stagesOf(secretId: string): Promise<Record<string, string[]>> {
  return (await sm.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {};
}

describe('Function: onboarding wizard (browser)', () => {
  it('onboards a Salesforce secret against the simulator and shows its first rotation finish', async () => {
    // Prepare
    const { page } = browser;
    const seed = simulator().seed as SalesforceSeed;
    const name = 'e2e/salesforce-onboarded';
    await page.goto(server.url);
    await page.getByRole('link', { name: 'demo/SalesforceClientSecret' }).waitFor();
    await screenshot(page, '0-secrets-list');

    // Act: step 1, the partner
    await page.getByRole('link', { name: 'Store a new secret' }).click();
    await page.getByRole('radio', { name: `Select ${PARTNER}` }).check();
    await screenshot(page, '1-choose-partner');
    await next(page);

    // Act: step 2, the value
    await page.getByLabel('Consumer key', { exact: true }).fill(seed.consumerKey);
    await page.getByLabel('Consumer secret', { exact: true }).fill(seed.consumerSecret);
    await page.getByLabel('My Domain URL', { exact: true }).fill(seed.baseUri);
    await page.getByLabel('App id', { exact: true }).fill(seed.appId);
    await page.getByLabel('Consumer id', { exact: true }).fill(seed.consumerId);
    const maskedType = await page.getByLabel('Consumer secret', { exact: true }).getAttribute('type');
    await page.getByRole('button', { name: 'Show Consumer secret' }).click();
    const revealedType = await page.getByLabel('Consumer secret', { exact: true }).getAttribute('type');
    await page.getByRole('button', { name: 'Hide Consumer secret' }).click();
    await screenshot(page, '2-secret-value');
    await next(page);

    // Act: step 3, rotation, with Test connection
    await page.getByLabel('API version', { exact: true }).fill(seed.apiVersion);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('[data-check="slot"]').waitFor();
    const checks = await page
      .locator('[data-check]')
      .evaluateAll((items) =>
        items.map((item) => `${item.getAttribute('data-check')}=${item.getAttribute('data-ok')}`),
      );
    const automatic = await page.getByRole('checkbox', { name: 'Automatic rotation' }).isChecked();
    const immediately = await page
      .getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' })
      .isChecked();
    await screenshot(page, '3-rotation');
    await next(page);

    // Act: step 4, name; step 5, review and create
    await page.getByLabel('Secret name', { exact: true }).fill(name);
    await screenshot(page, '4-name-and-details');
    await next(page);
    await page.getByRole('button', { name: 'Store secret' }).waitFor();
    const reviewText = await visibleText(page.locator('body'));
    await screenshot(page, '5-review-and-create');
    await page.getByRole('button', { name: 'Store secret' }).click();
    await page.waitForURL(/#\/secrets\/e2e%2Fsalesforce-onboarded$/);
    const result = await rotationResult(page);
    await page.getByText('AWSPREVIOUS', { exact: true }).waitFor();
    const flash = await visibleText(page.getByTestId('notice'));
    await rowsOf(page, 'Events')
      .filter({ hasText: 'RotationSucceeded' })
      .first()
      .waitFor({ timeout: 30_000 });
    await rowsOf(page, 'Audit records').filter({ hasText: 'rotate-secret' }).first().waitFor();
    const eventsText = await visibleText(page.getByRole('table', { name: 'Events' }));
    const auditText = await visibleText(page.getByRole('table', { name: 'Audit records' }));
    const nextRotation = await shownDate(
      page,
      (await sm.send(new DescribeSecretCommand({ SecretId: name }))).NextRotationDate,
    );
    const detailsText = await visibleText(page.locator('body'));
    await screenshot(page, '6-secret-details');

    // Assess
    expect(maskedType).toBe('password');
    expect(revealedType).toBe('text');
    expect(checks.length).toBeGreaterThanOrEqual(8);
    expect(checks.filter((check) => !check.endsWith('=true'))).toEqual([]);
    expect(automatic && immediately).toBe(true);
    expect(reviewText).not.toContain(seed.consumerSecret);
    expect(result).toBe('succeeded');
    expect(flash).toContain('first rotation is running');
    expect(eventsText).toContain('RotationStarted');
    expect(eventsText).toContain('RotationSucceeded');
    expect(auditText).toContain('succeeded');
    expect(auditText).toContain('finishSecret:succeeded');
    expect(detailsText).toContain(nextRotation);
    const stages = await stagesOf(name);
    const current = Object.keys(stages).find((id) => stages[id]?.includes('AWSCURRENT'));
    const previous = Object.keys(stages).find((id) => stages[id]?.includes('AWSPREVIOUS'));
    expect(current).toBeDefined();
    expect(previous).toBeDefined();
    expect(current).not.toBe(previous);
    const previousValue = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: previous }));
    const currentValue = await sm.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSCURRENT' }),
    );
    expect(JSON.parse(previousValue.SecretString ?? '{}').consumerKey).toBe(seed.consumerKey);
    const rotated = JSON.parse(currentValue.SecretString ?? '{}');
    expect(rotated.consumerKey).not.toBe(seed.consumerKey);
    expect(await simulator().probe.authenticates(rotated)).toBe(true);
    const badges = await visibleText(page.locator('table').filter({ hasText: 'Staging labels' }));
    expect(badges).toContain('AWSCURRENT');
    expect(badges).toContain('AWSPREVIOUS');
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows a failed Rotate now with its step and category, on the details page and in the list', async () => {
    // Prepare: the secret onboarded above; its rotated-out pair is still in its one-hour grace period,
    // so Salesforce's single staged slot is taken and a second rotation must stop with a conflict.
    const { page } = browser;
    const name = 'e2e/salesforce-onboarded';
    await page.goto(`${server.url}#/secrets/${encodeURIComponent(name)}`);
    await page.getByText('AWSPREVIOUS', { exact: true }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await page.locator('[data-step="createSecret"][data-status="failed"]').waitFor({ timeout: 30_000 });
    const failure = await visibleText(page.locator('body'));
    await screenshot(page, '7-rotate-now-failed');
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByText('failed (conflict)').waitFor();
    const rowText = await visibleText(row);
    const nextRotation = await shownDate(
      page,
      (await sm.send(new DescribeSecretCommand({ SecretId: name }))).NextRotationDate,
    );

    // Assess
    expect(rowText).toContain(nextRotation);
    expect(failure).toContain('Failed at createSecret [conflict]');
    expect(failure).toContain('grace period');
    expect(browser.pageErrors).toEqual([]);
  });

  it('runs a Test rotation from the details page and shows its result, leaving AWSCURRENT as it was', async () => {
    // Prepare: onboarded through the console API with grace period 0, so Salesforce's staged slot
    // is free again once the first rotation ends.
    const { page } = browser;
    const { value, metadata } = (await simulator().probe.freshSecret()) as {
      value: Record<string, string>;
      metadata: Record<string, string>;
    };
    const name = 'e2e/test-rotation';
    const created = await fetch(new URL('api/secrets', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'SalesforceClientSecret',
        name,
        value,
        metadata,
        rotation: {
          automatic: true,
          rotateImmediately: true,
          schedule: { kind: 'days', days: 30 },
          gracePeriodSeconds: 0,
        },
      }),
    });
    await page.goto(`${server.url}#/secrets/${encodeURIComponent(name)}`);
    expect(await rotationResult(page)).toBe('succeeded');
    await rowsOf(page, 'Audit records')
      .filter({ hasText: 'rotate-secret' })
      .first()
      .waitFor({ timeout: 30_000 });
    const before = await stagesOf(name);

    // Act
    await page.getByRole('button', { name: 'Test rotation' }).click();
    const testRow = rowsOf(page, 'Audit records').filter({ hasText: 'Test rotation' });
    await testRow.first().waitFor({ timeout: 30_000 });
    await rowsOf(page, 'Events')
      .filter({ hasText: 'TestRotationSucceeded' })
      .first()
      .waitFor({ timeout: 30_000 });
    const testText = await visibleText(testRow.first());
    const progressText = await visibleText(page.getByRole('list', { name: 'Rotation steps' }));
    const notice = await visibleText(page.getByTestId('notice'));
    await screenshot(page, '8-test-rotation');

    // Assess
    expect(created.status).toBe(201);
    expect(notice).toContain('Test rotation requested');
    expect(testText).toContain('test');
    expect(testText).toContain('succeeded');
    expect(testText).toContain('testSecret:succeeded');
    expect(testText).not.toContain('finishSecret');
    expect(progressText).toContain('testSecret: succeeded');
    expect(progressText).not.toContain('finishSecret');
    const after = await stagesOf(name);
    const current = (stages: Record<string, string[]>) =>
      Object.keys(stages).find((id) => stages[id]?.includes('AWSCURRENT'));
    expect(current(after)).toBe(current(before));
    expect(Object.values(after).flat()).not.toContain('AWSPENDING');
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows inline errors that say what to fix, and creates nothing', async () => {
    // Prepare
    const { page } = browser;
    const seed = simulator().seed as SalesforceSeed;
    const before = await secretNames();
    await openWizard(page);
    await next(page);
    const partnerError = await page
      .getByText('Choose the partner whose credential this secret holds.')
      .isVisible();
    await page.getByRole('radio', { name: `Select ${PARTNER}` }).check();
    await next(page);

    // Act: a malformed key, everything else empty
    await page.getByLabel('Consumer key', { exact: true }).fill('not a key!');
    await next(page);
    await page.getByText('Enter Consumer secret.', { exact: false }).first().waitFor();
    const valueErrors = await visibleText(page.locator('body'));
    await screenshot(page, 'invalid-secret-value');

    // Act: valid value, then a too-old API version and a bad grace period
    await page.getByLabel('Consumer key', { exact: true }).fill(seed.consumerKey);
    await page.getByLabel('Consumer secret', { exact: true }).fill(seed.consumerSecret);
    await page.getByLabel('My Domain URL', { exact: true }).fill(seed.baseUri);
    await page.getByLabel('App id', { exact: true }).fill(seed.appId);
    await page.getByLabel('Consumer id', { exact: true }).fill(seed.consumerId);
    await next(page);
    await page.getByLabel('API version', { exact: true }).fill('v50.0');
    await page.getByLabel('Grace period (seconds)', { exact: true }).fill('-5');
    await next(page);
    await page.getByText('API version is not in the expected format.', { exact: false }).first().waitFor();
    const rotationErrors = await visibleText(page.locator('body'));
    await screenshot(page, 'invalid-rotation');

    // Assess
    expect(partnerError).toBe(true);
    expect(valueErrors).toContain('Consumer key is not in the expected format.');
    expect(valueErrors).toContain('Enter My Domain URL.');
    expect(valueErrors).toContain('Enter App id.');
    expect(rotationErrors).toContain('at least v65.0');
    expect(rotationErrors).toContain('Enter a whole number of seconds from 0 to 2592000');
    expect(await page.getByRole('heading', { name: 'Rotation', exact: true }).count()).toBeGreaterThan(0);
    expect(await secretNames()).toEqual(before);
  });

  it('completes the main flow with the keyboard alone', async () => {
    // Prepare
    const { page } = browser;
    const { value, metadata } = (await simulator().probe.freshSecret()) as {
      value: Record<string, string>;
      metadata: Record<string, string>;
    };
    const name = 'e2e/keyboard-onboarded';
    await openWizard(page);
    await page.locator('body').focus();

    // Act
    await tabTo(page, new RegExp(`Select ${PARTNER}$`));
    await page.keyboard.press('Space');
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    for (const [label, field] of [
      ['Consumer key', 'consumerKey'],
      ['Consumer secret', 'consumerSecret'],
      ['My Domain URL', 'baseUri'],
      ['App id', 'appId'],
      ['Consumer id', 'consumerId'],
    ] as const) {
      await tabTo(page, new RegExp(`^${label}`));
      await page.keyboard.type(value[field] ?? '');
    }
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^API version/);
    await page.keyboard.type(metadata.apiVersion ?? '');
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Secret name/);
    await page.keyboard.type(name);
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Store secret$/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/secrets\/e2e%2Fkeyboard-onboarded$/);
    const result = await rotationResult(page);

    // Assess
    expect(result).toBe('succeeded');
    const stages = await stagesOf(name);
    expect(Object.values(stages).map((s) => [...s].sort().join(','))).toEqual(
      expect.arrayContaining(['AWSCURRENT', 'AWSPREVIOUS']),
    );
    expect(browser.pageErrors).toEqual([]);
  });
});
