import { createMiddleware } from "hono/factory";

/**
 * `/about/` → 301 `/about` when the slashed path has no page of its own. Unlike Hono's
 * trimTrailingSlash, the Location is a path (never built from the request's Host) and can
 * never become protocol-relative (`//evil.example/` stays on this site).
 */
export function trimTrailingSlash() {
	return createMiddleware(async (c, next) => {
		await next();
		const { method, path } = c.req;
		if (c.res.status !== 404 || (method !== "GET" && method !== "HEAD") || path === "/" || !path.endsWith("/")) return;
		const trimmed = `/${path.replace(/^\/+|\/+$/g, "")}`;
		const search = new URL(c.req.url).search;
		c.res = c.redirect(`${trimmed}${search}`, 301);
	});
}
