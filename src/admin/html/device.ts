import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { DEVICE_MAX_AGE_MS } from "../../lib/device-token";
import { isHttps } from "../guard/https";

// The device cookie (src/lib/device-token.ts): issued at every sign-in, read only by the next
// ones. Named and scoped like the session cookie (`__Host-` over https, which requires Path=/), but
// it opens nothing by itself: it only spares its browser a lock others put on its editor's email.
// Its value is made and checked by the sign-in service (src/admin/services/sign-in.ts).

const COOKIE_NAME = "samarium_device";

/** Hands the browser a device cookie `value` the sign-in service signed. */
export function setDeviceCookie(c: Context, value: string): void {
	const https = isHttps(c);
	setCookie(c, COOKIE_NAME, value, {
		httpOnly: true,
		sameSite: "Lax",
		path: "/",
		maxAge: DEVICE_MAX_AGE_MS / 1000,
		secure: https,
		prefix: https ? "host" : undefined,
	});
}

/** The text of the request's device cookie, if any: only the cookie name right for its scheme. */
export function deviceCookie(c: Context): string | undefined {
	return getCookie(c, COOKIE_NAME, isHttps(c) ? "host" : undefined);
}
