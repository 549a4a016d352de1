import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { adminPathOn } from "../../lib/paths";
import type { AppEnv } from "../../types";
import { clearSessionCookie, setSessionCookie, signedInEditor } from "../guard/session";
import { EMAIL_MAX } from "../limits";
import { parseFormBody } from "../params";
import { type SignInDeps, signIn, signOut } from "../services/sign-in";
import { type LoginForm, LoginPage } from "../views/LoginPage";
import { adminPage } from "../views/render";
import { deviceCookie, setDeviceCookie } from "./device";

/** Sign-in and sign-out, mounted at /admin; the guard lets both through without a session. */
export const auth = new Hono<AppEnv>();

const HOME = "/admin";
const INCORRECT = "Email or password is incorrect.";
/** The sign-in page's query flag after signing out, so that it can confirm it. */
const SIGNED_OUT = "signed-out";

/**
 * Where to go after signing in: an admin page on SITE_URL's origin (`siteUrl`), or the admin's
 * home. Anything that a browser could read as another host (`//evil`, `/\evil`, `https:…`) or
 * that leaves /admin, however encoded, falls back to the home (adminPathOn in src/lib/paths.ts).
 */
export function safeNext(value: unknown, siteUrl: string): string {
	const next = typeof value === "string" ? adminPathOn(siteUrl, value) : null;
	if (next === null) return HOME;
	const path = next.split("?", 1)[0];
	return path === "/admin/login" || path === "/admin/logout" ? HOME : next;
}

function loginPage(c: Context<AppEnv>, form: LoginForm, status?: ContentfulStatusCode) {
	return adminPage(c, { title: "Sign in" }, <LoginPage {...form} />, status);
}

function throttled(c: Context<AppEnv>, form: LoginForm, until: number, now: number) {
	const seconds = Math.max(1, Math.ceil((until - now) / 1000));
	const minutes = Math.ceil(seconds / 60);
	const at = new Date(until).toISOString().slice(11, 16);
	const error = `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"} (after ${at} UTC).`;
	c.header("retry-after", String(seconds));
	return loginPage(c, { ...form, error }, 429);
}

auth.get("/login", (c) => {
	const next = safeNext(c.req.query("next"), c.var.siteUrl);
	if (signedInEditor(c)) return c.redirect(next, 302);
	// A fixed sentence, whatever the flag says: the address cannot make the page say anything else.
	const signedOut = c.req.query(SIGNED_OUT) !== undefined;
	return loginPage(c, { email: "", next, signedOut });
});

auth.post("/login", async (c) => {
	const body = await parseFormBody(c);
	const email = typeof body.email === "string" ? body.email.slice(0, EMAIL_MAX) : "";
	const password = typeof body.password === "string" ? body.password : "";
	const form: LoginForm = { email, next: safeNext(body.next, c.var.siteUrl) };

	const deps: SignInDeps = { db: c.var.db, now: Date.now() };
	const previous = c.get("auth");
	const result = await signIn(deps, {
		email,
		password,
		address: c.req.header("cf-connecting-ip"),
		device: deviceCookie(c),
		replaces: previous?.method === "session" ? previous.tokenHash : null,
	});
	if (result.ok) {
		setSessionCookie(c, result.session);
		setDeviceCookie(c, result.device);
		return c.redirect(form.next, 303);
	}
	switch (result.reason) {
		case "incomplete":
			return loginPage(c, { ...form, error: "Fill in both fields.", fields: result.fields }, 400);
		case "locked":
			return throttled(c, form, result.until, deps.now);
		case "incorrect":
			// The failure that reached the limit already says so.
			if (result.lockedUntil !== null) return throttled(c, form, result.lockedUntil, deps.now);
			return loginPage(c, { ...form, error: INCORRECT }, 401);
	}
});

auth.post("/logout", async (c) => {
	const auth = c.get("auth");
	const editor = signedInEditor(c);
	if (auth?.method === "session" && editor) {
		await signOut({ db: c.var.db, now: Date.now() }, { tokenHash: auth.tokenHash, editor });
	}
	clearSessionCookie(c);
	return c.redirect(`/admin/login?${SIGNED_OUT}=1`, 303);
});
