/** A refused control request (unknown object, wrong state, bad body): its status and a sentence for the test log. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
