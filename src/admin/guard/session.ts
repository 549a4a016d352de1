import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { normalizeEmail } from "../../db/queries/editors";
import { findSession, SESSION_ABSOLUTE_MS } from "../../db/queries/sessions";
import type { CurrentEditor } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { hashToken } from "../../lib/tokens";
import type { AppEnv } from "../../types";
import { isHttps } from "./https";

// The session cookie. Over https its `__Host-` prefix makes browsers refuse one planted by a
// sibling subdomain or over plain http; plain http (local development) cannot have the prefix.
const COOKIE_NAME = "samarium_session";

/** The session token the request carries, if any: only the cookie name right for its scheme. */
export function sessionToken(c: Context): string | undefined {
	return getCookie(c, COOKIE_NAME, isHttps(c) ? "host" : undefined) || undefined;
}

function writeSessionCookie(c: Context, value: string, maxAgeSeconds: number) {
	const https = isHttps(c);
	setCookie(c, COOKIE_NAME, value, {
		httpOnly: true,
		sameSite: "Lax",
		path: "/",
		maxAge: maxAgeSeconds,
		secure: https,
		prefix: https ? "host" : undefined,
	});
}

/** Hands the browser a new session's token; the cookie lives as long as the session can. */
export function setSessionCookie(c: Context, token: string) {
	writeSessionCookie(c, token, SESSION_ABSOLUTE_MS / 1000);
}

export function clearSessionCookie(c: Context) {
	writeSessionCookie(c, "", 0);
}

/**
 * Sets `c.var.editor` and `c.var.auth` from the session `cookie` names, when it is a live one
 * (false when it opens nothing). `access` is the Cloudflare Access user's email, null without Access.
 */
export async function authenticateBySession(
	c: Context<AppEnv>,
	cookie: string | undefined,
	access: string | null,
	now: number,
): Promise<boolean> {
	const session = cookie ? await findSession(c.var.db, await hashToken(cookie), now) : null;
	if (!session) return false;
	// With Access in front, the session must be the Access user's own: a cookie carried off
	// to another Access user's browser opens nothing.
	if (access !== null && normalizeEmail(access) !== session.editor.email) {
		throw new AppError(403, "This session belongs to another editor than the one signed in to Cloudflare Access.");
	}
	c.set("editor", session.editor);
	c.set("auth", { method: "session", tokenHash: session.tokenHash });
	return true;
}

/** The signed-in editor on routes the guard lets through without one (the sign-in page). */
export function signedInEditor(c: Context<AppEnv>): CurrentEditor | null {
	return c.get("editor") ?? null;
}
