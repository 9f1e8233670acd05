/** The `__TYPE__` secret value and rotation metadata, as its schemas describe them. */
export interface __TYPE__Secret {
  [key: string]: unknown;
  /** The API key itself: sensitive. */
  apiKey: string;
  /** The partner's id of the key, used to revoke it. */
  keyId: string;
  accountId: string;
  baseUrl: string;
}

export interface __TYPE__Metadata {
  [key: string]: string | undefined;
  /** Optional label the partner shows next to new keys. */
  label?: string;
}
