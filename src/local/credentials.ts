/**
 * The demo customer's access key for the local stack (fixed, so a fresh stack needs no set-up).
 * In a module of its own so clients of the local stack (the CLI, benchmarks) can import it without
 * loading the stack.
 */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'ROTORLOCALACCESSKEY',
  secretAccessKey: 'rotor-local-secret-key',
};
