import { createMiddleware } from "hono/factory";

/**
 * `/about/` → 301 `/about` when the slashed path has no page of its own. Unlike Hono's
 * trimTrailingSlash, the Location is a path built from the URL's own, still-encoded path: never
 * from the request's Host, and never from the router's decoded path (where `%5C` is a backslash
 * that browsers read as a slash, and `%0A` a newline no header may hold). Leading slashes collapse
 * to one, so it cannot become protocol-relative (`//evil.example/` stays on this site).
 */
export function trimTrailingSlash() {
	return createMiddleware(async (c, next) => {
		await next();
		const { method, path } = c.req;
		if (c.res.status !== 404 || (method !== "GET" && method !== "HEAD") || path === "/" || !path.endsWith("/")) return;
		const { pathname, search } = new URL(c.req.url);
		const trimmed = `/${pathname.replace(/^\/+|\/+$/g, "")}`;
		c.res = c.redirect(`${trimmed}${search}`, 301);
	});
}
