import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { readForm } from "../params";
import { listAllEditors } from "../services/editors";
import { createToken, listTokens, revokeApiToken } from "../services/tokens";
import { idParam } from "../validation";
import type { FormState } from "../views/Field";
import { type TokenFormValues, TokensPage, tokenLabel } from "../views/TokensPage";
import { redirectWithFlash } from "./flash";
import { formRefusal, formState, page } from "./screen";

/** API tokens (admins only): issue one (shown once, in the response) and revoke. */
export const tokens = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

async function tokensPage(
	c: Context<AppEnv>,
	form: FormState<TokenFormValues>,
	created?: Awaited<ReturnType<typeof createToken>>,
	status?: ContentfulStatusCode,
) {
	const [tokens, editors] = await Promise.all([listTokens(c.var.db), listAllEditors(c.var.db)]);
	return page(
		c,
		"API tokens",
		"tokens",
		<TokensPage tokens={tokens} editors={editors} form={form} created={created} />,
		status,
	);
}

tokens.get("/tokens", adminOnly, (c) => tokensPage(c, { values: { name: "", editorId: String(c.var.editor.id) } }));

tokens.post("/tokens", adminOnly, async (c) => {
	const form = await readForm(c);
	const values = { name: form.name ?? "", editorId: form.editorId ?? "" };
	try {
		const created = await createToken(depsOf(c), values);
		// Shown in this response, not after a redirect: the token must never be stored to show later.
		return tokensPage(c, { values: { name: "", editorId: values.editorId } }, created, 201);
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return tokensPage(c, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
	}
});

tokens.post("/tokens/:id/revoke", adminOnly, async (c) => {
	const token = await revokeApiToken(depsOf(c), idParam(c.req.param("id"), "API token"));
	return redirectWithFlash(c, "/admin/tokens", {
		kind: "ok",
		text: `Revoked token ${tokenLabel(token)} “${token.name}”: it no longer works.`,
	});
});
