/** Where a Snowflake secret's rotation goes: the account's host, derived from `account`. */
export const SNOWFLAKE_TYPE = 'SnowflakeKeyPairAuthentication';

/** Every account URL, public or privatelink, ends in `.snowflakecomputing.com`. */
export const SNOWFLAKE_HOSTS = ['*.snowflakecomputing.com'] as const;

/** `https://<account>.snowflakecomputing.com`: the secret holds no URL, only the account. */
export function accountUrl(account: string): string {
  return `https://${account.toLowerCase()}.snowflakecomputing.com`;
}
