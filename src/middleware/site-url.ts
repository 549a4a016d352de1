import { createMiddleware } from "hono/factory";
import { normalizeOrigin } from "../lib/site";
import type { AppEnv } from "../types";

/**
 * Reads SITE_URL once per request into `c.var.siteUrl` (origin only, no trailing slash).
 * Absolute URLs are built from configuration, never from the request's Host header.
 */
export function siteUrl() {
	return createMiddleware<AppEnv>(async (c, next) => {
		c.set("siteUrl", normalizeOrigin(c.env.SITE_URL));
		await next();
	});
}
