import type { Context } from "hono";
import { base64ToUrl, base64UrlToBytes, bytesToBase64 } from "../../lib/encoding";
import { adminPathOn } from "../../lib/paths";
import type { AppEnv } from "../../types";
import type { Flash } from "../views/Layout";

// What a change did ("Deleted “Energy”", what the purge cleared) is shown on the page its POST
// redirects to. It travels in that redirect's query, signed with a key of the editor's session:
// - a crafted link cannot make the admin show words of someone else's choosing, nor can a link
//   copied from another session: without this session's signature, nothing is shown;
// - it can name what changed, even a thing now deleted (codes for fixed phrases could not);
// - each tab shows the outcome of its own POST (a cookie is shared by every tab, so one tab
//   could show, or swallow, another's message);
// - nothing is stored anywhere, and admin responses are never cached; reloading shows it again.

const FLASH_PARAM = "flash";
const SIGNATURE_PARAM = "sig";
/** A message is a line, not a page: this keeps the address short whatever a purge reported. */
const MAX_TEXT = 500;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/** The session's HMAC key; the admin's HTML pages are always reached with a session. */
async function sessionKey(c: Context<AppEnv>): Promise<CryptoKey | null> {
	const auth = c.get("auth");
	if (auth?.method !== "session") return null;
	const secret = new TextEncoder().encode(auth.tokenHash);
	return crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** What is signed: the page the message is for, and the message. */
function signedData(path: string, message: string): Uint8Array {
	return new TextEncoder().encode(`${path}\n${message}`);
}

/**
 * A 303 to `location` (an admin path without a query) whose page then shows `flash`. The path is
 * signed as the URL parser serializes it, which is how readFlash sees it when the browser asks for
 * it; one that would not stay an admin page on SITE_URL's origin goes to the admin's home instead.
 */
export async function redirectWithFlash(c: Context<AppEnv>, location: string, flash: Flash): Promise<Response> {
	const path = adminPathOn(c.var.siteUrl, location);
	if (path === null || path.includes("?")) return c.redirect("/admin", 303);
	const key = await sessionKey(c);
	if (!key) return c.redirect(path, 303);
	const message = `${flash.kind}:${flash.text.slice(0, MAX_TEXT)}`;
	const signature = await crypto.subtle.sign("HMAC", key, signedData(path, message));
	const query = new URLSearchParams({
		[FLASH_PARAM]: message,
		[SIGNATURE_PARAM]: base64ToUrl(bytesToBase64(new Uint8Array(signature))),
	});
	return c.redirect(`${path}?${query}`, 303);
}

/** The message this request's address carries for this page and session; null for anything else. */
export async function readFlash(c: Context<AppEnv>): Promise<Flash | null> {
	const message = c.req.query(FLASH_PARAM);
	const signature = c.req.query(SIGNATURE_PARAM);
	if (message === undefined || signature === undefined || !SIGNATURE.test(signature)) return null;
	const key = await sessionKey(c);
	if (!key) return null;
	const bytes = base64UrlToBytes(signature);
	// The path as the browser sent it, still encoded, as it was signed.
	const path = new URL(c.req.url).pathname;
	if (!bytes || !(await crypto.subtle.verify("HMAC", key, bytes, signedData(path, message)))) return null;
	const separator = message.indexOf(":");
	const kind = message.slice(0, separator);
	if (kind !== "ok" && kind !== "error") return null;
	return { kind, text: message.slice(separator + 1) };
}
