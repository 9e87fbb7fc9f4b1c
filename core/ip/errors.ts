/**
 * Why a text is not an address or network logvault accepts. The message
 * quotes the input, says what is wrong and how to write it instead, so a
 * CLI user, a producer's log line or a schema issue can act on it directly.
 */
export class InvalidIpError extends Error {
  constructor(
    /** The text as given. */
    readonly input: string,
    /** What is wrong with it and how to fix it, without the input. */
    readonly reason: string,
    /** What the text was meant to be. @default 'IP address' */
    readonly expected: 'IP address' | 'network (CIDR)' = 'IP address',
  ) {
    super(`${JSON.stringify(input)} is not a valid ${expected}: ${reason}`);
    this.name = 'InvalidIpError';
  }
}
