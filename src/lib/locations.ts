// Redirect targets. Every Location the admin sends must, resolved against SITE_URL the way a
// browser resolves it, stay on SITE_URL's origin. These build them from still-percent-encoded
// paths (new URL(request.url).pathname, never Hono's decoded c.req.path, in which "%2F" has become
// "/" and "%5C" "\") and check the result with the WHATWG URL parser, the one browsers use.

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
