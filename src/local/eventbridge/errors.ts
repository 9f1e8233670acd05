/** Errors of the local EventBridge endpoint, in the AWS JSON 1.1 error shape. */
export class EventBridgeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'EventBridgeError';
  }

  toJSON(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}
