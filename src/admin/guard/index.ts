import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { PRIVATE_CACHE_CONTROL } from "../../cache/policy";
import { handleError } from "../../errors";
import { AppError } from "../../lib/errors";
import { absoluteOn, adminPathOn } from "../../lib/paths";
import type { AppEnv } from "../../types";
import { accessEmail, requireAccessEditor } from "./access";
import { authenticateByToken, bearerToken } from "./bearer";
import { adminBodyLimit } from "./body-limit";
import { requireSameOrigin } from "./csrf";
import { isHttps } from "./https";
import { authenticateBySession, clearSessionCookie, sessionToken } from "./session";

/**
 * Whether a request came over plain http to a site that is https (SITE_URL), on whatever host it
 * reached the Worker by (the site's own without "Always Use HTTPS", workers.dev, a preview URL):
 * then a password or a session cookie would travel in the clear. Local development serves plain
 * http, with SITE_URL saying so, and is not affected.
 */
function plainHttpOfHttpsSite(c: Context<AppEnv>): boolean {
	return c.var.siteUrl.startsWith("https:") && !isHttps(c);
}

// Reachable without a session: the way in, and the way out (which must work for a session that
// has just expired, too).
const OPEN_PATHS = new Set(["/admin/login", "/admin/logout"]);

function setPrivate(headers: Headers) {
	headers.set("cache-control", PRIVATE_CACHE_CONTROL);
	headers.set("x-robots-tag", "noindex");
}

/**
 * Everything in front of /admin (kind "html") and /api/admin (kind "api"): the private headers on
 * every response, the body limit, Cloudflare Access when configured, who the editor is (session
 * cookie, or a bearer token under /api/admin), and the Origin check that keeps other sites from
 * making changes with the editor's cookie. Sets `c.var.editor` and `c.var.auth`.
 */
export function adminGuard(options: { kind: "html" | "api" }) {
	const limit = adminBodyLimit();
	return createMiddleware<AppEnv>(async (c, next) => {
		try {
			if (plainHttpOfHttpsSite(c)) {
				// Refused before anything is read (Cloudflare's "Always Use HTTPS" normally upgrades
				// before the Worker; this holds when it is off, and on hosts it does not cover).
				if (c.req.method !== "GET" && c.req.method !== "HEAD") {
					throw new AppError(403, "The admin is served over https only: use its https address.");
				}
				// SITE_URL's origin, whatever the request's host: the same page, on the site itself.
				const url = new URL(c.req.url);
				const upgrade = absoluteOn(c.var.siteUrl, url.pathname + url.search);
				if (!upgrade) throw new AppError(404, "There is no such admin page.");
				c.res = c.redirect(upgrade, 308);
				setPrivate(c.res.headers);
				return;
			}
			const redirect = await authenticate(c, options.kind);
			if (redirect) c.res = redirect;
			else await limit(c, next);
		} catch (err) {
			// Answered here rather than by app.onError further out, so that the headers below
			// reach refusals too.
			if (!(err instanceof Error)) throw err;
			c.res = await handleError(err, c);
		}
		setPrivate(c.res.headers);
	});
}

/**
 * Sets `c.var.editor` and `c.var.auth` for a request that may go on, returns the redirect to the
 * sign-in page for one that may not, and throws AppError (401/403) for anything refused outright.
 * The sign-in and sign-out paths go on without an editor.
 */
async function authenticate(c: Context<AppEnv>, kind: "html" | "api"): Promise<Response | null> {
	const now = Date.now();
	const open = kind === "html" && OPEN_PATHS.has(c.req.path);
	const safe = c.req.method === "GET" || c.req.method === "HEAD";
	const bearer = kind === "api" ? bearerToken(c) : undefined;
	const cookie = bearer === undefined ? sessionToken(c) : undefined;

	// Checked before any lookup, so that a forged request costs no database work. Sign-in and
	// sign-out count too: another site must not sign an editor in (to its account) or out.
	if (!safe && bearer === undefined && (cookie !== undefined || open)) requireSameOrigin(c);

	const access = await accessEmail(c, now);

	if (bearer !== undefined) {
		await authenticateByToken(c, bearer, access, now);
		return null;
	}

	if (await authenticateBySession(c, cookie, access, now)) return null;
	if (access !== null) await requireAccessEditor(c, access);
	if (open) return null;
	// A cookie that opened nothing (expired, or from a database since reset) is cleared.
	if (cookie !== undefined) clearSessionCookie(c);

	if (kind === "api")
		throw new AppError(401, "Sign in first, or send an API token as `Authorization: Bearer <token>`.");
	// The still-encoded address, as the browser asked for it, and only if it is an admin page.
	const url = new URL(c.req.url);
	const next = safe ? adminPathOn(c.var.siteUrl, url.pathname + url.search) : null;
	return c.redirect(next ? `/admin/login?next=${encodeURIComponent(next)}` : "/admin/login", 302);
}
