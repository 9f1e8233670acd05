import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecryptionError, LocalStorage, MASTER_KEY_FILE } from '../../src/local/storage/index.ts';

const MARKER = 'RECOGNISABLE-VALUE-7f3c';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rotor-storage-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function filesContain(text: string): string[] {
  return readdirSync(dir).filter((file) => readFileSync(join(dir, file)).includes(text));
}

describe('Class: LocalStorage', () => {
  it('creates the master key and the database with mode 0600 on first open', () => {
    // Act
    const storage = LocalStorage.open({ dataDir: dir });
    storage.collection('c').put('k', 1);

    // Assess
    for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    expect(readdirSync(dir)).toContain(MASTER_KEY_FILE);
    storage.close();
  });

  it('keeps records across a reopen, in write order, with a growing sequence', () => {
    // Prepare
    const first = LocalStorage.open({ dataDir: dir });
    const log = first.collection<{ n: number }>('log');
    log.append({ n: 1 });
    const second = log.append({ n: 2 });
    first.collection<string>('kv').put('a', 'x');
    first.close();

    // Act
    const reopened = LocalStorage.open({ dataDir: dir });
    const records = reopened.collection<{ n: number }>('log').all();

    // Assess
    expect(records.map((r) => r.value.n)).toEqual([1, 2]);
    expect(
      reopened
        .collection<{ n: number }>('log')
        .changesAfter(records[0]!.seq)
        .map((r) => r.key),
    ).toEqual([second.key]);
    expect(reopened.collection<string>('kv').get('a')).toBe('x');
    reopened.close();
  });

  it('rolls back every write of a transaction that throws', () => {
    // Prepare
    const storage = LocalStorage.open({ dataDir: dir });
    const kv = storage.collection<string>('kv');
    kv.put('a', 'before');

    // Act
    expect(() =>
      storage.transaction(() => {
        kv.put('a', 'after');
        kv.put('b', 'new');
        throw new Error('crash in the middle');
      }),
    ).toThrow('crash in the middle');

    // Assess
    expect(kv.get('a')).toBe('before');
    expect(kv.get('b')).toBeUndefined();
    storage.close();
  });

  it('never writes an encrypted collection’s values in plaintext, WAL included', () => {
    // Prepare
    const storage = LocalStorage.open({ dataDir: dir });
    const secrets = storage.collection<{ value: string }>('secrets', { encrypted: true });

    // Act
    secrets.put('arn:1', { value: MARKER });
    const whileOpen = filesContain(MARKER);
    const read = secrets.get('arn:1');
    storage.close();

    // Assess
    expect(read).toEqual({ value: MARKER });
    expect(whileOpen).toEqual([]);
    expect(filesContain(MARKER)).toEqual([]);
    expect(filesContain(Buffer.from(MARKER).toString('base64').slice(0, 16))).toEqual([]);
  });

  it('fails with DecryptionError when the master key is not the one that wrapped the data', () => {
    // Prepare
    const storage = LocalStorage.open({ dataDir: dir });
    storage.collection('secrets', { encrypted: true }).put('arn:1', { value: MARKER });
    storage.close();
    writeFileSync(join(dir, MASTER_KEY_FILE), `${Buffer.alloc(32, 9).toString('base64')}\n`);

    // Act
    const reopened = LocalStorage.open({ dataDir: dir });

    // Assess
    expect(() => reopened.collection('secrets', { encrypted: true }).get('arn:1')).toThrow(DecryptionError);
    reopened.close();
  });
});
