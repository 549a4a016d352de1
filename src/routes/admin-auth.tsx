import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { auditInsert } from "../db/queries/audit";
import { editorByEmail, normalizeEmail } from "../db/queries/editors";
import { expiredSessionsDelete, newSession, sessionDelete, sessionInsert } from "../db/queries/sessions";
import { attemptForgive, attemptUpsert, overLimit, throttleClear, throttleKeys } from "../db/queries/throttle";
import { adminPathOn } from "../lib/locations";
import { dummyPasswordHash, verifyPassword } from "../lib/passwords";
import { clearSessionCookie, setSessionCookie, signedInEditor } from "../middleware/admin-guard";
import type { AppEnv } from "../types";
import { type LoginForm, LoginPage } from "../views/admin/LoginPage";
import { adminPage } from "../views/admin/render";
import { parseFormBody } from "./admin-params";

/** Sign-in and sign-out, mounted at /admin; the guard lets both through without a session. */
export const adminAuth = new Hono<AppEnv>();

/** Longer than any real address (RFC 5321 allows 254); keeps keys and audit rows bounded. */
const MAX_EMAIL_LENGTH = 320;
const HOME = "/admin";
const INCORRECT = "Email or password is incorrect.";
/** The sign-in page's query flag after signing out, so that it can confirm it. */
const SIGNED_OUT = "signed-out";

/**
 * Where to go after signing in: an admin page on SITE_URL's origin (`siteUrl`), or the admin's
 * home. Anything that a browser could read as another host (`//evil`, `/\evil`, `https:…`) or
 * that leaves /admin, however encoded, falls back to the home (src/lib/locations.ts).
 */
export function safeNext(value: unknown, siteUrl: string): string {
	const next = typeof value === "string" ? adminPathOn(siteUrl, value) : null;
	if (next === null) return HOME;
	const path = next.split("?", 1)[0];
	return path === "/admin/login" || path === "/admin/logout" ? HOME : next;
}

/** The client's address as Cloudflare saw it; requests that reach the Worker without it share one counter. */
function clientAddress(c: Context<AppEnv>): string {
	return (c.req.header("cf-connecting-ip") ?? "unknown").slice(0, 64);
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

adminAuth.get("/login", (c) => {
	const next = safeNext(c.req.query("next"), c.var.siteUrl);
	if (signedInEditor(c)) return c.redirect(next, 302);
	// A fixed sentence, whatever the flag says: the address cannot make the page say anything else.
	const signedOut = c.req.query(SIGNED_OUT) !== undefined;
	return loginPage(c, { email: "", next, signedOut });
});

adminAuth.post("/login", async (c) => {
	const db = c.var.db;
	const body = await parseFormBody(c);
	const email = typeof body.email === "string" ? body.email.slice(0, MAX_EMAIL_LENGTH) : "";
	const password = typeof body.password === "string" ? body.password : "";
	const form: LoginForm = { email, next: safeNext(body.next, c.var.siteUrl) };

	const fields: NonNullable<LoginForm["fields"]> = {};
	if (email.trim() === "") fields.email = "Enter your email address.";
	if (password === "") fields.password = "Enter your password.";
	if (fields.email || fields.password) return loginPage(c, { ...form, error: "Fill in both fields.", fields }, 400);

	const now = Date.now();
	const normalized = normalizeEmail(email);
	const address = clientAddress(c);
	const keys = throttleKeys(normalized, address);
	// The attempt is counted before the password is checked (see attemptUpsert): past the limit,
	// no password is checked at all, not even a right one. That is what makes the lock hold.
	// One round trip: both counts, and the editor (read whether or not the password is then checked).
	const [[emailCount], [addressCount], [editor]] = await db.batch([
		attemptUpsert(db, keys.email, now),
		attemptUpsert(db, keys.address, now),
		editorByEmail(db, normalized),
	]);
	const lock = Math.max(emailCount?.lockedUntil ?? 0, addressCount?.lockedUntil ?? 0);
	if (overLimit(emailCount, keys.email) || overLimit(addressCount, keys.address)) {
		return throttled(c, form, lock, now);
	}

	// An unknown email costs the same PBKDF2 work as a wrong password, so timing tells them apart no
	// more than the answer does. The dummy hash is made first either way (once per isolate).
	const dummy = await dummyPasswordHash();
	const matches = await verifyPassword(password, editor?.passwordHash ?? dummy);

	if (editor && matches) {
		const { token, row } = await newSession(editor.id, now);
		const previous = c.get("auth");
		await db.batch([
			sessionInsert(db, row),
			expiredSessionsDelete(db, now),
			throttleClear(db, keys.email, now),
			attemptForgive(db, keys.address),
			auditInsert(db, {
				actor: { id: editor.id, email: editor.email },
				action: "login.success",
				subject: `editor:${editor.id}`,
				detail: { address },
				at: now,
			}),
			// Signing in again replaces the session the browser had: one cookie, one row.
			...(previous?.method === "session" ? [sessionDelete(db, previous.tokenHash)] : []),
		]);
		setSessionCookie(c, token);
		return c.redirect(form.next, 303);
	}

	await auditInsert(db, {
		actor: { id: editor?.id ?? null, email: editor?.email ?? normalized },
		action: "login.fail",
		subject: editor ? `editor:${editor.id}` : `email:${normalized}`,
		detail: { address, reason: editor ? "wrong password" : "unknown email" },
		at: now,
	});
	// The failure that reached the limit already says so.
	if (lock > now) return throttled(c, form, lock, now);
	return loginPage(c, { ...form, error: INCORRECT }, 401);
});

adminAuth.post("/logout", async (c) => {
	const db = c.var.db;
	const auth = c.get("auth");
	const editor = signedInEditor(c);
	if (auth?.method === "session" && editor) {
		const now = Date.now();
		await db.batch([
			sessionDelete(db, auth.tokenHash),
			auditInsert(db, {
				actor: { id: editor.id, email: editor.email },
				action: "logout",
				subject: `editor:${editor.id}`,
				at: now,
			}),
		]);
	}
	clearSessionCookie(c);
	return c.redirect(`/admin/login?${SIGNED_OUT}=1`, 303);
});
