import { getPath } from "hono/utils/url";

// A request path exists in two forms: as the URL carries it (percent-encoded, already normalised
// by the URL parser: no tabs or newlines, no dot segments, `\` turned into `/`) and as the router
// reads it (Hono decodes it with decodeURI, which turns `%5C` into `\` and `%0A` into a newline but
// leaves `%2F`, `%3F` and `%23` alone). Routing and "is this private" are decided on the second;
// anything that becomes a URL again (a cache key, a Location) is built from the first, or from
// encodePath, because a decoded path parsed as a URL can take on a host (`/\evil.example/`).

/** The path the router routes on for this URL (Hono's own getPath, so the two cannot differ). */
export function routerPath(url: string): string {
	return getPath({ url } as Request);
}

/** Everything but RFC 3986's path characters, and `%` (already an escape, or a literal the router keeps). */
const UNSAFE_IN_PATH = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu;

/**
 * A router path written back as a URL path that the URL parser keeps byte for byte and the router
 * decodes to the same path again: each character outside the path characters becomes its UTF-8
 * percent-escapes. Callers that must be sure check the round trip (routerPath of the result).
 */
export function encodePath(decoded: string): string {
	return decoded.replace(UNSAFE_IN_PATH, (ch) => {
		try {
			return encodeURIComponent(ch);
		} catch {
			// A lone surrogate: the URL parser writes U+FFFD in its place too.
			return "%EF%BF%BD";
		}
	});
}

/**
 * The Location a browser would follow, resolved against the site, when it stays on the site's
 * origin; null when it would leave it or is not a URL at all. Browsers resolve with the same
 * WHATWG parser: `/\evil`, `//evil`, `/\t/evil` and `https:evil` all name another host there.
 */
export function resolveOnSite(location: string, siteOrigin: string): URL | null {
	let url: URL;
	try {
		// An absolute URL is read on its own: `https:evil.example` is relative only to an https base,
		// and the request a browser resolves it against may have come over http.
		url = URL.canParse(location) ? new URL(location) : new URL(location, `${siteOrigin}/`);
	} catch {
		return null;
	}
	return url.origin === siteOrigin ? url : null;
}
