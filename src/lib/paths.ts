import { getPath } from "hono/utils/url";

// A request path exists in two forms: as the URL carries it (percent-encoded, already normalised
// by the URL parser: no tabs or newlines, no dot segments, `\` turned into `/`) and as the router
// reads it (Hono decodes it with decodeURI, which turns `%5C` into `\` and `%0A` into a newline but
// leaves `%2F`, `%3F` and `%23` alone). Routing and "is this private" are decided on the second;
// anything that becomes a URL again (a cache key, a Location) is built from the first, or from
// encodePath, because a decoded path parsed as a URL can take on a host (`/\evil.example/`), and is
// checked with the WHATWG URL parser, the one browsers resolve a Location with.

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

/** `pathAndQuery` (encoded, starting with "/") on `origin`, as an absolute URL; null if it would leave that origin. */
export function absoluteOn(origin: string, pathAndQuery: string): string | null {
	if (!pathAndQuery.startsWith("/")) return null;
	let url: URL;
	try {
		url = new URL(origin + pathAndQuery);
	} catch {
		return null;
	}
	return url.origin === origin ? url.href : null;
}

const ADMIN = "/admin";

/**
 * `value` as a path (and query) inside the admin on `origin`, as the URL parser serializes it, or
 * null for anything else: another host however spelled (`//evil`, `/\evil`, `https:…`, with tabs
 * or newlines, which browsers drop), a path that leaves /admin once dot segments (`..`, `%2e%2e`)
 * are resolved, or one with an encoded `/`, `\` or `.` in it.
 */
export function adminPathOn(origin: string, value: string): string | null {
	if (!value.startsWith("/") || value.startsWith("//") || /[\\\s\p{Cc}]/u.test(value)) return null;
	let url: URL;
	try {
		url = new URL(value, `${origin}/`);
	} catch {
		return null;
	}
	const path = url.pathname;
	if (url.origin !== origin || !(path === ADMIN || path.startsWith(`${ADMIN}/`))) return null;
	// No admin address has one, and a server or proxy that decodes them before resolving dot
	// segments could read "/admin/..%2F..%2Fevil" as a path outside the admin.
	if (/%(2f|5c|2e)/i.test(path)) return null;
	return path + url.search;
}

export function articlePath(slug: string): string {
	return `/articles/${slug}`;
}

/** An author's page: their name, bio and newest articles. */
export function authorPath(slug: string): string {
	return `/authors/${slug}`;
}
