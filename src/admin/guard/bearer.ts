import type { Context } from "hono";
import { findActiveToken } from "../../db/queries/api-tokens";
import { normalizeEmail } from "../../db/queries/editors";
import { AppError } from "../../lib/errors";
import { hashToken } from "../../lib/tokens";
import type { AppEnv } from "../../types";

/** The token in `Authorization: Bearer …` ("" when the header is there but empty), or undefined. */
export function bearerToken(c: Context): string | undefined {
	const header = c.req.header("authorization");
	if (header === undefined) return undefined;
	const match = /^Bearer[ \t]+(\S*)[ \t]*$/i.exec(header);
	return match?.[1] ?? "";
}

/**
 * Sets `c.var.editor` and `c.var.auth` from an API token, or refuses it (401): a client that sent
 * one said how it authenticates, so nothing else is tried. `access` is the Cloudflare Access
 * user's email, null without Access.
 */
export async function authenticateByToken(
	c: Context<AppEnv>,
	bearer: string,
	access: string | null,
	now: number,
): Promise<void> {
	const token = bearer === "" ? null : await findActiveToken(c.var.db, await hashToken(bearer), now);
	if (!token) throw new AppError(401, "That API token is not valid or has been revoked.");
	// As with sessions: behind Access, a token works only for the editor it belongs to.
	if (access !== null && normalizeEmail(access) !== token.editor.email) {
		throw new AppError(403, "This API token belongs to another editor than the one signed in to Cloudflare Access.");
	}
	c.set("editor", token.editor);
	c.set("auth", { method: "token", tokenId: token.id, tokenName: token.name });
}
