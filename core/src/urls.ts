/*
 * URLs the platform is given (a broker, a store, its own API): which schemes each takes, and how a
 * URL is repeated in a message or a log without the credentials it may carry.
 */

/** What MQTT.js connects with: MQTT over TCP or TLS, and MQTT over WebSockets. */
export const brokerUrlSchemes = ['mqtt', 'mqtts', 'ws', 'wss', 'tcp', 'ssl', 'tls'] as const;
export const httpUrlSchemes = ['http', 'https'] as const;

/** Whether `value` is a URL of one of `schemes` (without "://") that names a host. */
export function isUrlWith(value: string, schemes: readonly string[]): boolean {
  // "localhost:8086" parses as a URL of scheme "localhost:"; only the scheme tells it apart.
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return schemes.includes(url.protocol.slice(0, -1)) && url.hostname !== '';
}

/** "mqtt://, mqtts:// or ws://": the schemes as a person writes them. */
export function schemeList(schemes: readonly string[]): string {
  const names = schemes.map((scheme) => `${scheme}://`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

/**
 * `value` without a user and password before its host: "mqtt://u:pw@host" → "mqtt://host", and,
 * written without a scheme, "u:pw@host:1883" → "host:1883" (which `URL` would read as scheme "u:").
 * Text with no credentials in it, an email address say, comes back as it was.
 */
export function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/i, '$1').replace(/^[^\s/@:]+:[^\s/@]*@/, '');
}
