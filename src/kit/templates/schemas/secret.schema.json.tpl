{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://rotor.dev/schemas/__TYPE__.secret.schema.json",
  "title": "__TYPE__ secret value",
  "description": "The SecretString of an __TYPE__ secret.",
  "type": "object",
  "additionalProperties": false,
  "required": ["apiKey", "keyId", "accountId", "baseUrl"],
  "properties": {
    "apiKey": {
      "type": "string",
      "title": "API key",
      "description": "The API key the application uses.",
      "minLength": 16,
      "maxLength": 256
    },
    "keyId": {
      "type": "string",
      "title": "Key id",
      "description": "The partner's id of the key, e.g. key-1234.",
      "minLength": 1,
      "maxLength": 128
    },
    "accountId": {
      "type": "string",
      "title": "Account id",
      "description": "The partner account the key belongs to.",
      "minLength": 1,
      "maxLength": 128
    },
    "baseUrl": {
      "type": "string",
      "title": "API base URL",
      "description": "Base URL of the partner API, e.g. https://api.example.com.",
      "minLength": 8,
      "pattern": "^https?://"
    }
  }
}
