import type { Context } from "hono";
import { findEditorByEmail } from "../../db/queries/editors";
import { accessSetting, verifyAccessJwt } from "../../lib/access-jwt";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../../types";

// Cloudflare Access in front of the admin, when ACCESS_TEAM_DOMAIN and ACCESS_AUD are set: a second
// lock that a request reaching the Worker some other way (workers.dev, a second route) cannot skip.

/** The email in a valid Access token, null when Access is off; refuses the request otherwise. */
export async function accessEmail(c: Context<AppEnv>, now: number): Promise<string | null> {
	const access = accessSetting(c.env);
	if (access.state === "off") return null;
	if (access.state === "incomplete") {
		console.error("Cloudflare Access is half configured: set both ACCESS_TEAM_DOMAIN and ACCESS_AUD, or neither");
		throw new AppError(403, "The admin is closed: its Cloudflare Access settings are incomplete.");
	}
	const config = access.config;
	const token = c.req.header("cf-access-jwt-assertion");
	if (!token) throw new AppError(403, "This admin is behind Cloudflare Access: sign in through Access first.");
	const result = await verifyAccessJwt(token, config, { now });
	if (!result.ok) {
		console.warn("access token refused", c.req.method, c.req.path, result.reason);
		throw new AppError(403, "The Cloudflare Access sign-in is not valid; sign in through Access again.");
	}
	return result.email;
}

/**
 * Refuses (403) an Access user who is not one of the site's editors, for a request that has no
 * session or token to say who it is: Access lets in whoever its policy allows, not only editors.
 */
export async function requireAccessEditor(c: Context<AppEnv>, email: string): Promise<void> {
	if (!(await findEditorByEmail(c.var.db, email))) {
		throw new AppError(403, "The Cloudflare Access account is not one of this site's editors.");
	}
}
