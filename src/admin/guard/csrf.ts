import type { Context } from "hono";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../../types";

// The Origin check that keeps other sites from making changes with the editor's cookie.

/**
 * Browsers send Origin with every POST, same-site or not, so its absence is refused rather than
 * guessed around; both the request's own origin and SITE_URL's count as the site.
 */
function sameOrigin(c: Context<AppEnv>): boolean {
	const origin = c.req.header("origin");
	if (!origin || origin === "null") return false;
	return origin === new URL(c.req.url).origin || origin === c.var.siteUrl;
}

/** Refuses (403) a change that did not come from the admin's own pages. */
export function requireSameOrigin(c: Context<AppEnv>): void {
	if (!sameOrigin(c)) {
		throw new AppError(403, "This change must come from the admin's own pages (the Origin header did not match).");
	}
}
