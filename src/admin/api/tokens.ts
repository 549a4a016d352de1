import { Hono } from "hono";
import type { AdminToken } from "../../db/queries/api-tokens";
import { toIso, toIsoOrNull } from "../../lib/dates";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { createToken, listTokens, revokeApiToken } from "../services/tokens";
import { idParam } from "../validation";
import { body } from "./body";

/** API tokens as JSON (admins only); the token's text is in the creating response only. */
export const tokens = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

const tokenJson = (t: AdminToken) => ({
	id: t.id,
	name: t.name,
	editor: { id: t.editorId, name: t.editorName, email: t.editorEmail },
	createdAt: toIso(t.createdAt),
	lastUsedAt: toIsoOrNull(t.lastUsedAt),
	revokedAt: toIsoOrNull(t.revokedAt),
});

tokens.get("/tokens", adminOnly, async (c) => c.json({ tokens: (await listTokens(c.var.db)).map(tokenJson) }));

tokens.post("/tokens", adminOnly, async (c) => {
	const { token, apiToken } = await createToken(depsOf(c), await body(c, ["name", "editorId"]));
	// The only response that ever carries the token's text.
	return c.json({ ...tokenJson(apiToken), token }, 201);
});

// Revoking one already revoked answers the same, and changes nothing.
tokens.delete("/tokens/:id", adminOnly, async (c) => {
	return c.json(tokenJson(await revokeApiToken(depsOf(c), idParam(c.req.param("id"), "API token"))));
});
