/** Durable, encrypted storage for the local stack: SQLite in WAL mode, envelope-encrypted values. */
export { type DataKey, Envelope, MASTER_KEY_FILE } from './envelope.ts';
export { DecryptionError, StorageError } from './errors.ts';
export {
  type CollectionOptions,
  DATABASE_FILE,
  DurableCollection,
  LocalStorage,
  type LocalStorageOptions,
  type StoredRecord,
} from './local-storage.ts';
