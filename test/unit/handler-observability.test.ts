import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CredentialRejectedError } from '../../src/engine/errors.ts';
import {
  createObservability,
  noMetrics,
  powertoolsLogger,
  powertoolsMetrics,
  tracedHooks,
  tracingEnabled,
} from '../../src/handlers/observability.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** What Powertools writes: EMF and logs to stdout, error logs to stderr. */
function captureOutput(): string[] {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return lines;
}

describe('Function: powertoolsMetrics', () => {
  it('writes one EMF document in namespace Rotor per dimensioned count', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const lines = captureOutput();
    const metrics = powertoolsMetrics(new Metrics({ namespace: 'Rotor', serviceName: 'rotor-rotation' }));

    // Act
    metrics.count('RotationFailed', { name: 'category', value: 'throttled' });
    metrics.flush();

    // Assess
    const documents = lines.map((line) => JSON.parse(line));
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      RotationFailed: 1,
      category: 'throttled',
      service: 'rotor-rotation',
    });
    expect(documents[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Rotor',
      Dimensions: [['service', 'category']],
      Metrics: [{ Name: 'RotationFailed', Unit: 'Count' }],
    });
  });
});

describe('Function: createObservability', () => {
  it('emits no metrics and no warnings outside Lambda, and loads no tracer', async () => {
    // Prepare
    const lines = captureOutput();
    const warn = vi.spyOn(console, 'warn');

    // Act
    const { metrics, tracer } = await createObservability('rotor-rotation', {});
    metrics.count('RotationSucceeded');
    metrics.flush();

    // Assess
    expect(metrics).toBe(noMetrics);
    expect(tracer).toBeUndefined();
    expect(lines).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('builds a tracer in Lambda, and none when POWERTOOLS_TRACE_ENABLED=false', async () => {
    // Prepare
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'rotor-rotation', POWERTOOLS_METRICS_DISABLED: 'true' };

    // Act
    const traced = await createObservability('rotor-rotation', lambda);
    const untraced = await createObservability('rotor-rotation', {
      ...lambda,
      POWERTOOLS_TRACE_ENABLED: 'false',
    });

    // Assess
    expect(traced.tracer).toBeDefined();
    expect(untraced.tracer).toBeUndefined();
    expect(tracingEnabled({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingEnabled({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(true);
  });
});

describe('Function: powertoolsLogger', () => {
  it('keeps the engine message attribute as errorMessage instead of letting Powertools drop it', () => {
    // Prepare
    const lines = captureOutput();
    const log = powertoolsLogger(new Logger({ serviceName: 'rotor-rotation' }));

    // Act
    log.error('Rotation step failed', { category: 'throttled', message: 'Salesforce asked to slow down' });

    // Assess
    const entry = JSON.parse(lines.join(''));
    expect(entry).toMatchObject({
      message: 'Rotation step failed',
      category: 'throttled',
      errorMessage: 'Salesforce asked to slow down',
    });
  });
});

describe('Function: tracedHooks', () => {
  function fakeTracer() {
    const calls: string[] = [];
    const parent = {
      addNewSubsegment: (name: string) => {
        calls.push(`open ${name}`);
        return {
          addAnnotation: (key: string, value: string) => calls.push(`annotate ${key}=${value}`),
          addFaultFlag: () => calls.push('fault'),
          close: () => calls.push('close'),
        };
      },
    };
    const tracer = {
      isTracingEnabled: () => true,
      getSegment: () => parent,
      setSegment: (segment: unknown) =>
        calls.push(segment === parent ? 'restore parent' : 'enter subsegment'),
    };
    return { tracer: tracer as unknown as Tracer, calls };
  }

  it('opens one subsegment per partner hook call and restores the parent', async () => {
    // Prepare
    const { tracer, calls } = fakeTracer();
    const wrap = tracedHooks(tracer);

    // Act
    const result = await wrap('create', 'SalesforceClientSecret', async () => 'done');

    // Assess
    expect(result).toBe('done');
    expect(calls).toEqual([
      'open ## SalesforceClientSecret.create',
      'annotate partnerType=SalesforceClientSecret',
      'annotate hook=create',
      'enter subsegment',
      'close',
      'restore parent',
    ]);
  });

  it('records a failure by category only, never its message', async () => {
    // Prepare
    const { tracer, calls } = fakeTracer();
    const wrap = tracedHooks(tracer);

    // Act
    const error = await wrap('test', 'SalesforceClientSecret', async () => {
      throw new CredentialRejectedError('pending pair secret-value-123 was refused');
    }).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(CredentialRejectedError);
    expect(calls).toContain('annotate errorCategory=credential-rejected');
    expect(calls).toContain('fault');
    expect(calls.join('\n')).not.toContain('secret-value-123');
  });

  it('calls straight through when tracing is off (outside Lambda)', async () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn');
    const wrap = tracedHooks(new Tracer({ serviceName: 'rotor-rotation' }));

    // Act
    const result = await wrap('promote', 'SalesforceClientSecret', async () => 42);

    // Assess
    expect(result).toBe(42);
    expect(warn).not.toHaveBeenCalled();
  });
});
