import { createMiddleware } from "hono/factory";
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

// SITE_URL is the same for every request of an isolate: parse it once, not per request.
let parsed: { value: string; origin: string } | undefined;

export function normalizeOrigin(value: string): string {
	if (parsed?.value !== value) parsed = { value, origin: new URL(value).origin };
	return parsed.origin;
}
