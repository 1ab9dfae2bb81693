/**
 * A random id for an event or a visitor: 128 bits from `crypto.getRandomValues`, as the decimal
 * words run together (about 38 digits, which the collector's `[\w-]{8,64}` accepts).
 */
export const randomId = (): string => crypto.getRandomValues(new Uint32Array(4)).join("");
