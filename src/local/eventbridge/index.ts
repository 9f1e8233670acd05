/** The local EventBridge endpoint (default bus, PutEvents) and its durable event log. */
export {
  type BusEvent,
  type BusScope,
  EVENTS_COLLECTION,
  LocalEventBus,
  type PutEventsEntry,
  type PutEventsResultEntry,
} from './bus.ts';
export { EventBridgeError } from './errors.ts';
