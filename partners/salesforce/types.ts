/** The `SalesforceClientSecret` value and metadata, as AWS managed external secrets define them. */
export interface SalesforceSecret {
  [key: string]: unknown;
  consumerKey: string;
  consumerSecret: string;
  baseUri: string;
  appId: string;
  consumerId: string;
}

export interface SalesforceMetadata {
  [key: string]: string | undefined;
  apiVersion: string;
  adminSecretArn?: string;
}

/** An item of `…/staged` ("App Oauth Staged Credentials"). */
export interface StagedCredential {
  id: string;
  key: string;
  secret?: string;
  state: 'Active' | 'Expired' | 'Rotated';
  createdBy?: string;
  createdDate?: string;
  expirationDate?: string;
}

/** The pair that authenticates REST calls, and the org it reaches. */
export interface SalesforcePair {
  baseUri: string;
  consumerKey: string;
  consumerSecret: string;
}
