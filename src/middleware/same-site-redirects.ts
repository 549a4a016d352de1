import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { resolveOnSite } from "../lib/paths";
import { normalizeOrigin } from "../lib/site";
import type { AppEnv } from "../types";

/**
 * The last word on every redirect the app answers with: its Location, resolved as a browser
 * resolves it, must stay on SITE_URL's origin. Each redirect is built to (from the encoded path,
 * see src/lib/paths.ts); this catches the one that is not, as the app's 404 (`notFound`) rather
 * than an open redirect.
 */
export function sameSiteRedirects(options: { notFound: (c: Context<AppEnv>) => Response | Promise<Response> }) {
	return createMiddleware<AppEnv>(async (c, next) => {
		await next();
		const location = c.res.headers.get("location");
		if (location === null) return;
		if (resolveOnSite(location, normalizeOrigin(c.env.SITE_URL))) return;
		console.error("refused a redirect off the site", c.req.method, c.req.url, location);
		// Built while the redirect is still the response, so it keeps that response's other headers
		// (the admin's private ones); then the redirect is dropped outright, since assigning c.res
		// over it would merge its Location back in.
		const page = await options.notFound(c);
		const res = new Response(page.body, page);
		res.headers.delete("location");
		c.res = undefined;
		c.res = res;
	});
}
