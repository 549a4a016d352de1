import type { Context, MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../lib/errors";
import { adminPathOn } from "../../lib/paths";
import type { AppEnv } from "../../types";
import { accessEmail, requireAccessEditor } from "./access";
import { authenticateByToken, bearerToken } from "./bearer";
import { adminBodyLimit } from "./body-limit";
import { requireSameOrigin } from "./csrf";
import { httpsOnly } from "./https";
import { privateResponses } from "./private";
import { authenticateBySession, clearSessionCookie, sessionToken } from "./session";

type Kind = "html" | "api";

// Reachable without a session: the way in, and the way out (which must work for a session that
// has just expired, too).
const OPEN_PATHS = new Set(["/admin/login", "/admin/logout"]);

/**
 * Everything in front of /admin (kind "html") and /api/admin (kind "api"), in this order: the
 * private headers on every response, plain http refused or sent to https, who the editor is
 * (Cloudflare Access when configured, the session cookie or, under /api/admin, a bearer token,
 * and the Origin check that keeps other sites from making changes with the editor's cookie),
 * and the body limit, which only a request that may go on gets to. Sets `c.var.editor` and
 * `c.var.auth`. Refusals are thrown, for app.onError to answer (HTML, or JSON under /api).
 * One middleware (hono/combine's `every` runs the parts in order), so that one `use()` puts all
 * of it in front of a sub-app.
 */
export function adminGuard(options: { kind: Kind }): MiddlewareHandler<AppEnv> {
	return every(privateResponses(), httpsOnly(), requireEditor(options.kind), adminBodyLimit());
}

/** Lets a request that authenticate() lets go on through; answers the others with its redirect. */
function requireEditor(kind: Kind) {
	return createMiddleware<AppEnv>(async (c, next) => {
		const signIn = await authenticate(c, kind);
		if (signIn) return signIn;
		await next();
	});
}

/**
 * Sets `c.var.editor` and `c.var.auth` for a request that may go on, returns the redirect to the
 * sign-in page for one that may not, and throws AppError (401/403) for anything refused outright.
 * The sign-in and sign-out paths go on without an editor.
 */
async function authenticate(c: Context<AppEnv>, kind: Kind): Promise<Response | null> {
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
