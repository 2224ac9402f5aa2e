/**
 * Browser origin allow-lists for the socket and the stream. A cross-site page can open a
 * WebSocket to any host, and CORS does not stop it, so the relay checks `Origin` itself.
 */

/**
 * Parses `https://dash.example.com, http://localhost:5173` into normalised origins.
 *
 * @throws TypeError naming an entry that is not an origin (scheme, host, optional port)
 */
export function parseOrigins(text: string): ReadonlySet<string> {
  const origins = new Set<string>();

  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new TypeError(
        `invalid origin ${JSON.stringify(entry)}: expected scheme://host[:port], such as https://dash.example.com`,
      );
    }
    if (url.origin === 'null' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      throw new TypeError(
        `invalid origin ${JSON.stringify(entry)}: expected scheme://host[:port] with no path`,
      );
    }
    origins.add(url.origin);
  }

  return origins;
}
