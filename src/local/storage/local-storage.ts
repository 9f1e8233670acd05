/**
 * The local stack's durable store: one SQLite database (better-sqlite3, WAL) in the data directory,
 * holding generic collections of JSON records. Collections may be encrypted (envelope encryption,
 * one data key per record key). A request's writes go in one transaction, so a `kill -9` leaves the
 * state before or after the request, never a mix.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type DataKey, Envelope } from './envelope.ts';
import { StorageError } from './errors.ts';

export const DATABASE_FILE = 'rotor.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  collection TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT,
  data_key   BLOB,
  sealed     BLOB,
  UNIQUE (collection, key)
);
CREATE INDEX IF NOT EXISTS records_by_collection ON records (collection, seq);
`;

/** One stored record: its key, its change sequence number (grows with every write) and its value. */
export interface StoredRecord<T> {
  key: string;
  seq: number;
  value: T;
}

export interface CollectionOptions {
  /** Encrypt values under per-key data keys (secret values must use this). Default false. */
  encrypted?: boolean;
}

interface Row {
  seq: number;
  key: string;
  value: string | null;
  data_key: Buffer | null;
  sealed: Buffer | null;
}

/**
 * A named collection of JSON values by key, with a change feed (`changesAfter`).
 *
 * @example
 * ```ts
 * const audit = storage.collection<AuditRecord>('rotor.audit');
 * const key = audit.append(record);          // a new key, in order
 * for (const r of audit.changesAfter(0)) console.log(r.seq, r.value);
 * ```
 */
export class DurableCollection<T> {
  readonly #storage: LocalStorage;
  readonly #dataKeys = new Map<string, DataKey>();

  constructor(
    storage: LocalStorage,
    readonly name: string,
    readonly encrypted: boolean,
  ) {
    this.#storage = storage;
  }

  #context(key: string): string {
    return `${this.name}/${key}`;
  }

  #decode(row: Row): T {
    if (!this.encrypted) return JSON.parse(row.value ?? 'null') as T;
    const envelope = this.#storage.envelope;
    const context = this.#context(row.key);
    const dataKey = envelope.unwrap(row.data_key as Buffer, context);
    this.#dataKeys.set(row.key, { plaintext: dataKey, wrapped: row.data_key as Buffer });
    return JSON.parse(envelope.decrypt(dataKey, row.sealed as Buffer, context).toString('utf8')) as T;
  }

  #toRecord(row: Row): StoredRecord<T> {
    return { key: row.key, seq: row.seq, value: this.#decode(row) };
  }

  /** Writes `value` under `key` (replacing it); the record gets a new, higher `seq`. */
  put(key: string, value: T): number {
    const json = JSON.stringify(value);
    const db = this.#storage.db;
    return this.#storage.transaction(() => {
      db.prepare('DELETE FROM records WHERE collection = ? AND key = ?').run(this.name, key);
      if (!this.encrypted) {
        return Number(
          db
            .prepare('INSERT INTO records (collection, key, value) VALUES (?, ?, ?)')
            .run(this.name, key, json).lastInsertRowid,
        );
      }
      const context = this.#context(key);
      let dataKey = this.#dataKeys.get(key);
      if (dataKey === undefined) {
        dataKey = this.#storage.envelope.newDataKey(context);
        this.#dataKeys.set(key, dataKey);
      }
      const sealed = this.#storage.envelope.encrypt(dataKey.plaintext, Buffer.from(json, 'utf8'), context);
      return Number(
        db
          .prepare('INSERT INTO records (collection, key, data_key, sealed) VALUES (?, ?, ?, ?)')
          .run(this.name, key, dataKey.wrapped, sealed).lastInsertRowid,
      );
    });
  }

  /** Appends `value` under a new key (its sequence number, zero-padded so keys sort in order). */
  append(value: T): StoredRecord<T> {
    return this.#storage.transaction(() => {
      const next = Number(
        (
          this.#storage.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'records'").get() as
            | { seq: number }
            | undefined
        )?.seq ?? 0,
      );
      const key = String(next + 1).padStart(12, '0');
      return { key, seq: this.put(key, value), value };
    });
  }

  get(key: string): T | undefined {
    const row = this.#storage.db
      .prepare('SELECT seq, key, value, data_key, sealed FROM records WHERE collection = ? AND key = ?')
      .get(this.name, key) as Row | undefined;
    return row === undefined ? undefined : this.#decode(row);
  }

  delete(key: string): void {
    this.#storage.db.prepare('DELETE FROM records WHERE collection = ? AND key = ?').run(this.name, key);
    this.#dataKeys.delete(key);
  }

  /** Every record, in write order. */
  all(): StoredRecord<T>[] {
    return this.changesAfter(0);
  }

  /** Records written after `seq` (exclusive), oldest first, at most `limit`. Poll it to follow. */
  changesAfter(seq: number, limit = Number.MAX_SAFE_INTEGER): StoredRecord<T>[] {
    const rows = this.#storage.db
      .prepare(
        'SELECT seq, key, value, data_key, sealed FROM records WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(this.name, seq, Math.min(limit, Number.MAX_SAFE_INTEGER)) as Row[];
    return rows.map((row) => this.#toRecord(row));
  }
}

export interface LocalStorageOptions {
  /** The data directory; absent, everything stays in memory (tests, `--in-memory`). */
  dataDir?: string;
}

/**
 * Opens (creating on first start) the data directory's database and master key.
 *
 * @example
 * ```ts
 * const storage = LocalStorage.open({ dataDir: '.rotor' });
 * storage.transaction(() => { storage.collection('schedules').put(arn, schedule); });
 * storage.close();
 * ```
 */
export class LocalStorage {
  readonly db: Database.Database;
  readonly envelope: Envelope;
  readonly dataDir: string | undefined;
  readonly #collections = new Map<string, DurableCollection<unknown>>();

  private constructor(db: Database.Database, envelope: Envelope, dataDir: string | undefined) {
    this.db = db;
    this.envelope = envelope;
    this.dataDir = dataDir;
  }

  static open(options: LocalStorageOptions = {}): LocalStorage {
    const { dataDir } = options;
    try {
      if (dataDir === undefined)
        return new LocalStorage(LocalStorage.#init(':memory:'), Envelope.ephemeral(), undefined);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const envelope = Envelope.fromDataDir(dataDir);
      const file = join(dataDir, DATABASE_FILE);
      // Created 0600 first: SQLite gives its -wal and -shm files the database file's mode.
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
      return new LocalStorage(LocalStorage.#init(file), envelope, dataDir);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw new StorageError(`Cannot open the local stack's data directory ${dataDir ?? '(memory)'}.`, {
        cause: error,
      });
    }
  }

  static #init(file: string): Database.Database {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: every committed request is fsynced to the WAL, so it survives an OS crash, not only a
    // killed process (NORMAL would). The local stack writes a few rows per request, so the fsync
    // cost is irrelevant next to the guarantee.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    return db;
  }

  /** Runs `work` in one transaction (nested calls become savepoints); rolls back if it throws. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** The collection `name` (one instance per name). */
  collection<T>(name: string, options: CollectionOptions = {}): DurableCollection<T> {
    let collection = this.#collections.get(name);
    if (collection === undefined) {
      collection = new DurableCollection<unknown>(this, name, options.encrypted ?? false);
      this.#collections.set(name, collection);
    } else if (collection.encrypted !== (options.encrypted ?? false)) {
      throw new StorageError(`Collection ${name} is already open with a different encryption setting.`);
    }
    return collection as DurableCollection<T>;
  }

  /** Checkpoints the WAL into the database file and closes it (a clean stop). */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
