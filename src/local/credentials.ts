/** The demo customer's access key (fixed, so a fresh stack needs no set-up; see identity/config.ts). */
import { DEMO_ACCESS_KEY } from './identity/index.ts';

export const LOCAL_CREDENTIALS = DEMO_ACCESS_KEY;
