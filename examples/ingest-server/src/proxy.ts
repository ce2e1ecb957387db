// Loopback, private (RFC 1918), link-local and shared (RFC 6598) IPv4, IPv4-mapped too, and
// IPv6 loopback, unique-local and link-local: where a load balancer in the same network connects from.
const PRIVATE = /^(?:::ffff:)?(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)|^(?:::1$|f[cd]|fe[89ab])/i

/**
 * The trust function for `TRUST_PROXY=<n>`: the nearest n hops, the first of them (the peer
 * itself) only from a private or loopback address. Counting alone would trust any client that
 * reaches the server directly, and with it the X-Forwarded-For it writes itself.
 */
export const trustHops =
  (n: number) =>
  (address: string, hop: number): boolean =>
    hop < n && (hop > 0 || PRIVATE.test(address))
