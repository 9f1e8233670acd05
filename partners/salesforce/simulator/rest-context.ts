/** What the `/services/data/**` route handlers share. */
import type { SalesforceSimulatorBehaviour } from './behaviour.ts';
import type { SimRequest } from './http.ts';
import type { OrgState, Session } from './state.ts';

export interface RestContext {
  state: OrgState;
  behaviour: SalesforceSimulatorBehaviour;
  now: Date;
  apiUsage: { used: number };
}

/** What a resource route needs besides the request. */
export interface RouteInput {
  context: RestContext;
  request: SimRequest;
  session: Session;
  /** The version as requested, e.g. `65.0`, echoed in returned URLs. */
  version: string;
  versionNumber: number;
  /** Path segments after the version, percent-decoded. */
  segments: string[];
}
