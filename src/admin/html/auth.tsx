import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { auditInsert } from "../../db/queries/audit";
import { editorByEmail, normalizeEmail } from "../../db/queries/editors";
import { expiredSessionsDelete, newSession, sessionDelete, sessionInsert } from "../../db/queries/sessions";
import {
	attemptCount,
	attemptForgive,
	attemptLocks,
	lockEnd,
	throttleClear,
	throttleKeys,
	throttleSweep,
} from "../../db/queries/throttle";
import { addressKey } from "../../lib/client-address";
import { dummyPasswordHash, verifyPassword } from "../../lib/passwords";
import { adminPathOn } from "../../lib/paths";
import type { AppEnv } from "../../types";
import { clearSessionCookie, setSessionCookie, signedInEditor } from "../guard/session";
import { EMAIL_MAX } from "../limits";
import { parseFormBody } from "../params";
import { type LoginForm, LoginPage } from "../views/LoginPage";
import { adminPage } from "../views/render";
import { setDeviceCookie, trustedDevice } from "./device";

/** Sign-in and sign-out, mounted at /admin; the guard lets both through without a session. */
export const auth = new Hono<AppEnv>();

/** Longer than any real address (RFC 5321 allows 254); keeps keys and audit rows bounded. */
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

/** The client's address as Cloudflare saw it, for the audit log (the throttle keys it by addressKey). */
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

auth.get("/login", (c) => {
	const next = safeNext(c.req.query("next"), c.var.siteUrl);
	if (signedInEditor(c)) return c.redirect(next, 302);
	// A fixed sentence, whatever the flag says: the address cannot make the page say anything else.
	const signedOut = c.req.query(SIGNED_OUT) !== undefined;
	return loginPage(c, { email: "", next, signedOut });
});

auth.post("/login", async (c) => {
	const db = c.var.db;
	const body = await parseFormBody(c);
	const email = typeof body.email === "string" ? body.email.slice(0, EMAIL_MAX) : "";
	const password = typeof body.password === "string" ? body.password : "";
	const form: LoginForm = { email, next: safeNext(body.next, c.var.siteUrl) };

	const fields: NonNullable<LoginForm["fields"]> = {};
	if (email.trim() === "") fields.email = "Enter your email address.";
	if (password === "") fields.password = "Enter your password.";
	if (fields.email || fields.password) return loginPage(c, { ...form, error: "Fill in both fields.", fields }, 400);

	const now = Date.now();
	const normalized = normalizeEmail(email);
	const address = clientAddress(c);
	// A browser that has signed in as this email's editor before is spared the email's lock (an
	// attacker's failures from elsewhere must not keep the editor out) and counted on its own.
	const device = await trustedDevice(c, normalized, now);
	const keys = throttleKeys({ email: normalized, address: addressKey(c.req.header("cf-connecting-ip")), device });
	// The attempt is counted before the password is checked (see attemptCount): while a lock
	// holds, no password is checked at all, not even a right one, and nothing is written.
	// One round trip: the counts, the locks, and the editor (read whether or not the password is then checked).
	const [counted, locks, [editor]] = await db.batch([
		attemptCount(db, keys, now),
		attemptLocks(db, keys),
		editorByEmail(db, normalized),
	]);
	if (counted.length === 0) return throttled(c, form, lockEnd(locks, now), now);
	const lock = lockEnd(counted, now);

	// An unknown email costs the same PBKDF2 work as a wrong password, so timing tells them apart no
	// more than the answer does. The dummy hash is made first either way (once per isolate).
	const dummy = await dummyPasswordHash();
	const matches = await verifyPassword(password, editor?.passwordHash ?? dummy);
	const detail = device ? { address, device: "known" } : { address };

	if (editor && matches) {
		const { token, row } = await newSession(editor.id, now);
		const previous = c.get("auth");
		await db.batch([
			sessionInsert(db, row),
			expiredSessionsDelete(db, now),
			throttleClear(db, keys.account, now),
			attemptForgive(db, keys.address),
			auditInsert(db, {
				actor: { id: editor.id, email: editor.email },
				action: "login.success",
				subject: `editor:${editor.id}`,
				detail,
				at: now,
			}),
			// Signing in again replaces the session the browser had: one cookie, one row.
			...(previous?.method === "session" ? [sessionDelete(db, previous.tokenHash)] : []),
		]);
		setSessionCookie(c, token);
		await setDeviceCookie(c, editor, now);
		return c.redirect(form.next, 303);
	}

	await db.batch([
		auditInsert(db, {
			actor: { id: editor?.id ?? null, email: editor?.email ?? normalized },
			action: "login.fail",
			subject: editor ? `editor:${editor.id}` : `email:${normalized}`,
			detail: { ...detail, reason: editor ? "wrong password" : "unknown email" },
			at: now,
		}),
		throttleSweep(db, now),
	]);
	// The failure that reached the limit already says so.
	if (lock > now) return throttled(c, form, lock, now);
	return loginPage(c, { ...form, error: INCORRECT }, 401);
});

auth.post("/logout", async (c) => {
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
