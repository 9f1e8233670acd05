/** Identity for the local stack: accounts, users, roles, sessions, policies and SigV4 verification. */
export * from './config.ts';
export * from './directory.ts';
export * from './errors.ts';
export * from './policy.ts';
export * from './sigv4.ts';
