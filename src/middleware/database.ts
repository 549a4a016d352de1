import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { isPrivatePath } from "../cache/policy";
import { createDb } from "../db/client";
import { instrumentD1 } from "../db/instrument";
import { isBookmark, mustReadPrimary, openSession, type ReadFrom } from "../db/replicas";
import type { AppEnv } from "../types";

// The editor's latest bookmark: D1's position after the editor's last request, so that the next
// one reads a copy at least that recent (read-your-writes on a replica). httpOnly; `__Host-` over
// https, like the session cookie. It names a point in the database's history, not a person, and
// only ever goes out on admin answers, which no cache stores.
const BOOKMARK_COOKIE = "samarium_bookmark";
// Past an hour a replica has long caught up; without the cookie an editor reads the primary.
const BOOKMARK_MAX_AGE_SECONDS = 3600;

/**
 * Opens the request's one D1 session (see db/replicas.ts) and puts a Drizzle handle over it on
 * `c.var.db`, through a binding that times each call and reports that time as
 * `server-timing: db`. Admin answers to a signed-in editor carry the session's latest bookmark back.
 */
export function database() {
	return createMiddleware<AppEnv>(async (c, next) => {
		let ms = 0;
		let calls = 0;
		const session = openSession(c.env.DB, readFrom(c));
		const d1 = instrumentD1(session, (call) => {
			ms += call.ms;
			calls += 1;
		});
		c.set("db", createDb(d1));
		await next();
		if (calls > 0) c.res.headers.append("server-timing", `db;dur=${ms.toFixed(1)};desc="${calls} D1 calls"`);
		// Only to an editor the admin let in: a refused sign-in or an anonymous visit gets no cookie.
		if (isPrivatePath(c.req.path) && c.get("editor")) writeBookmark(c, session.getBookmark());
	});
}

function isHttps(c: Context): boolean {
	return c.req.url.startsWith("https:");
}

/**
 * Readers may read any replica. The admin writes, and reads the editor's own writes: the primary,
 * or a replica at least as recent as the editor's bookmark. A render the edge cache asks to read
 * the primary (it refills a copy purged moments ago) does so.
 */
function readFrom(c: Context<AppEnv>): ReadFrom {
	if (isPrivatePath(c.req.path)) {
		if (c.req.method === "GET" || c.req.method === "HEAD") {
			const bookmark = getCookie(c, BOOKMARK_COOKIE, isHttps(c) ? "host" : undefined);
			if (isBookmark(bookmark)) return { bookmark };
		}
		return "first-primary";
	}
	return mustReadPrimary(c.req.raw) ? "first-primary" : "first-unconstrained";
}

function writeBookmark(c: Context<AppEnv>, bookmark: string | null) {
	if (!isBookmark(bookmark)) return;
	const https = isHttps(c);
	// Plain http to an https site is refused or redirected by the admin guard; no cookie rides on it.
	if (!https && c.var.siteUrl.startsWith("https:")) return;
	setCookie(c, BOOKMARK_COOKIE, bookmark, {
		httpOnly: true,
		sameSite: "Lax",
		path: "/",
		maxAge: BOOKMARK_MAX_AGE_SECONDS,
		secure: https,
		prefix: https ? "host" : undefined,
	});
}
