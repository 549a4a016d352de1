import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { findEditorByEmail } from "../../db/queries/editors";
import type { Editor } from "../../db/schema";
import { DEVICE_MAX_AGE_MS, newDevice, parseDevice, signDevice, verifyDevice } from "../../lib/device-token";
import type { AppEnv } from "../../types";
import { isHttps } from "../guard/https";

// The device cookie (src/lib/device-token.ts): issued at every sign-in, read only by the next
// ones. Named and scoped like the session cookie (`__Host-` over https, which requires Path=/), but
// it opens nothing by itself: it only spares its browser a lock others put on its editor's email.

const COOKIE_NAME = "samarium_device";

/** A new device cookie for `editor`, signed with their password hash; a new password revokes it. */
export async function setDeviceCookie(c: Context<AppEnv>, editor: Editor, now: number): Promise<void> {
	const https = isHttps(c);
	setCookie(c, COOKIE_NAME, await signDevice(newDevice(editor.id, now), editor.passwordHash), {
		httpOnly: true,
		sameSite: "Lax",
		path: "/",
		maxAge: DEVICE_MAX_AGE_MS / 1000,
		secure: https,
		prefix: https ? "host" : undefined,
	});
}

/**
 * The nonce of the request's device cookie when it is valid for the editor whose (normalized)
 * email is being tried, or null. Only a cookie in the right format costs a database read (the
 * editor, for their key); checking it costs an HMAC, never a password check.
 */
export async function trustedDevice(c: Context<AppEnv>, email: string, now: number): Promise<string | null> {
	const presented = parseDevice(getCookie(c, COOKIE_NAME, isHttps(c) ? "host" : undefined));
	if (!presented) return null;
	const editor = await findEditorByEmail(c.var.db, email);
	if (!editor || !(await verifyDevice(presented, editor.id, editor.passwordHash, now))) return null;
	return presented.nonce;
}
