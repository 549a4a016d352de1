import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../lib/errors";
import { absoluteOn } from "../../lib/paths";
import type { AppEnv } from "../../types";

/** Whether the request reached the Worker over https (cookies' `__Host-` prefix needs it). */
export function isHttps(c: Context): boolean {
	return c.req.url.startsWith("https:");
}

/**
 * Whether a request came over plain http to a site that is https (SITE_URL), on whatever host it
 * reached the Worker by (the site's own without "Always Use HTTPS", workers.dev, a preview URL):
 * then a password or a session cookie would travel in the clear. Local development serves plain
 * http, with SITE_URL saying so, and is not affected.
 */
function plainHttpOfHttpsSite(c: Context<AppEnv>): boolean {
	return c.var.siteUrl.startsWith("https:") && !isHttps(c);
}

/**
 * Sends reads over plain http to the same page over https (308) and refuses changes (403), before
 * anything is read (Cloudflare's "Always Use HTTPS" normally upgrades before the Worker; this
 * holds when it is off, and on hosts it does not cover).
 */
export function httpsOnly() {
	return createMiddleware<AppEnv>(async (c, next) => {
		if (!plainHttpOfHttpsSite(c)) {
			await next();
			return;
		}
		if (c.req.method !== "GET" && c.req.method !== "HEAD") {
			throw new AppError(403, "The admin is served over https only: use its https address.");
		}
		// SITE_URL's origin, whatever the request's host: the same page, on the site itself.
		const url = new URL(c.req.url);
		const upgrade = absoluteOn(c.var.siteUrl, url.pathname + url.search);
		if (!upgrade) throw new AppError(404, "There is no such admin page.");
		return c.redirect(upgrade, 308);
	});
}
