/** The `SnowflakeKeyPairAuthentication` value and metadata, as AWS managed external secrets define them. */
export interface SnowflakeSecret {
  [key: string]: unknown;
  /** The account URL part before `.snowflakecomputing.com`. */
  account: string;
  user: string;
  /** PKCS#8 PEM (BEGIN/END lines optional); encrypted when `passphrase` is set. */
  privateKey: string;
  /** SPKI PEM (BEGIN/END lines optional). */
  publicKey: string;
  passphrase?: string;
}

export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512';

export interface SnowflakeMetadata {
  [key: string]: string | undefined;
  cryptographicAlgorithm?: SigningAlgorithm;
  /** Metadata values are strings: `"true"` or `"false"`. */
  encryptPrivateKey?: 'true' | 'false';
}

/** The two key slots of a Snowflake user. */
export type KeySlot = 'RSA_PUBLIC_KEY' | 'RSA_PUBLIC_KEY_2';
export const KEY_SLOTS: readonly KeySlot[] = ['RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2'];

/** Fingerprint (`SHA256:…`) per slot, `undefined` when the slot is empty. */
export type SlotFingerprints = Record<KeySlot, string | undefined>;
