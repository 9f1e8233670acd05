/**
 * Rotation orchestration and events for the local stack. {@link createLocalOrchestration} wires
 * the pieces onto a `SecretsManagerService` and a rotation handler; each piece also stands alone
 * behind a small interface (event bus, audit log, schedule store, clock, discarder).
 */
import type { RotorEventSink } from '../../engine/events.ts';
import type { PartnerCatalog } from '../../runtime/catalog.ts';
import { type RotationHandlerFn, RotationRunner } from '../rotation-runner.ts';
import type { SecretsManagerService } from '../secrets-manager/index.ts';
import { type AuditLog, InMemoryAuditLog } from './audit-log.ts';
import { type Clock, systemClock } from './clock.ts';
import { catalogDiscarder } from './discard.ts';
import { type EventBus, InMemoryEventBus } from './event-bus.ts';
import { busEventSink } from './events.ts';
import { RotationOrchestrator, type RotationOrchestratorOptions } from './orchestrator.ts';
import { servicePort } from './port.ts';
import { type ControlRoute, createOrchestratorRoutes } from './routes.ts';
import { InMemoryScheduleStore, type ScheduleStore } from './schedule-store.ts';
import { observeService } from './service-observer.ts';

export * from './audit-log.ts';
export * from './audit-record.ts';
export * from './cleanup.ts';
export * from './clock.ts';
export * from './cron.ts';
export * from './discard.ts';
export * from './durable-audit-log.ts';
export * from './durable-event-bus.ts';
export * from './durable-schedule-store.ts';
export * from './errors.ts';
export * from './event-bus.ts';
export * from './events.ts';
export * from './label-changes.ts';
export * from './orchestrator.ts';
export * from './port.ts';
export * from './retry-policy.ts';
export * from './rotation-rules.ts';
export * from './routes.ts';
export * from './schedule-state.ts';
export * from './schedule-store.ts';
export * from './service-observer.ts';
export * from './windows.ts';

export interface LocalOrchestrationOptions
  extends Pick<
    RotationOrchestratorOptions,
    'retry' | 'testRotation' | 'catchUpMissedWindows' | 'tickIntervalMs' | 'maxConcurrentRotations'
  > {
  service: SecretsManagerService;
  /** The rotation handler (built with `events: orchestration.rotorEvents` to get Rotor's events on the bus). */
  handler: RotationHandlerFn;
  /** The ARN invocations carry, e.g. `arn:aws:lambda:<region>:<account>:function:rotor-rotation`. */
  functionArn: string;
  clock?: Clock;
  bus?: EventBus;
  audit?: AuditLog;
  schedules?: ScheduleStore;
  catalog?: PartnerCatalog;
  /** Simulator base URL per partner type, as given to the handler; enables discarding at simulators. */
  simulatorUrls?: Readonly<Record<string, string>>;
}

export interface LocalOrchestration {
  orchestrator: RotationOrchestrator;
  runner: RotationRunner;
  bus: EventBus;
  audit: AuditLog;
  schedules: ScheduleStore;
  /** Mount beside the stack's control routes. */
  routes: ControlRoute;
  close(): Promise<void>;
}

/**
 * The event sink for `createRotationHandler({ events })`: Rotor's own events onto the bus. Build
 * it before the handler, then pass the same bus to {@link createLocalOrchestration}.
 */
export function rotorEventSink(bus: EventBus, clock: Clock = systemClock): RotorEventSink {
  return busEventSink(bus, clock);
}

/**
 * Wires orchestration onto a service: observes its label moves, runs its rotation requests
 * through `handler`, and starts the scheduler. Route `onRotationRequested` of the service to
 * `orchestration.orchestrator.onRotationRequested`.
 *
 * @example
 * ```ts
 * let orchestration: LocalOrchestration | undefined;
 * const service = new SecretsManagerService({ now: () => clock.now(),
 *   onRotationRequested: (r) => orchestration?.orchestrator.onRotationRequested(r) });
 * const bus = new InMemoryEventBus();
 * const handler = createRotationHandler({ secretsManager, events: rotorEventSink(bus, clock), now: () => clock.now() });
 * orchestration = createLocalOrchestration({ service, handler, functionArn, clock, bus });
 * ```
 */
export function createLocalOrchestration(options: LocalOrchestrationOptions): LocalOrchestration {
  const clock = options.clock ?? systemClock;
  const bus = options.bus ?? new InMemoryEventBus();
  const audit = options.audit ?? new InMemoryAuditLog();
  const schedules = options.schedules ?? new InMemoryScheduleStore();
  const port = servicePort(options.service);
  const runner = new RotationRunner(options.handler, options.functionArn, () => clock.now());
  const orchestrator = new RotationOrchestrator({
    port,
    runner,
    clock,
    bus,
    audit,
    schedules,
    discarder: catalogDiscarder({
      port,
      ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
      ...(options.simulatorUrls === undefined ? {} : { simulatorUrls: options.simulatorUrls }),
      now: () => clock.now(),
    }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.testRotation === undefined ? {} : { testRotation: options.testRotation }),
    ...(options.catchUpMissedWindows === undefined
      ? {}
      : { catchUpMissedWindows: options.catchUpMissedWindows }),
    ...(options.tickIntervalMs === undefined ? {} : { tickIntervalMs: options.tickIntervalMs }),
    ...(options.maxConcurrentRotations === undefined
      ? {}
      : { maxConcurrentRotations: options.maxConcurrentRotations }),
  });
  const detach = observeService(options.service, orchestrator);
  orchestrator.start();
  return {
    orchestrator,
    runner,
    bus,
    audit,
    schedules,
    routes: createOrchestratorRoutes({ bus, audit, schedules, runner }),
    close: async () => {
      await orchestrator.close();
      detach();
    },
  };
}
