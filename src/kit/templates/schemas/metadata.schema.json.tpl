{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://rotor.dev/schemas/__TYPE__.metadata.schema.json",
  "title": "__TYPE__ rotation metadata",
  "description": "ExternalSecretRotationMetadata of an __TYPE__ secret.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "label": {
      "type": "string",
      "title": "Key label",
      "description": "Optional label for new keys: letters, digits, dashes, at most 64.",
      "pattern": "^[A-Za-z0-9-]{1,64}$"
    }
  }
}
