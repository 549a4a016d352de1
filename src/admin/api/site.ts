import { type Context, Hono } from "hono";
import type { AdminToken } from "../../db/queries/api-tokens";
import type { AdminTaxon } from "../../db/queries/taxonomies";
import type { AuditEntry, Page } from "../../db/schema";
import { toIso, toIsoOrNull } from "../../lib/dates";
import { describeStatus } from "../../lib/errors";
import { readJsonObject, rejectUnknownKeys } from "../../lib/validation";
import type { AppEnv } from "../../types";
import type { ErrorJson } from "../../views/json";
import { requireRole } from "../guard/roles";
import { idParam } from "../params";
import {
	createTaxon,
	createToken,
	deleteTaxon,
	getPage,
	getTaxon,
	listAllEditors,
	listPages,
	listTaxa,
	listTokens,
	PageConflict,
	readAudit,
	removeEditor,
	revokeApiToken,
	savePage,
	updateEditor,
	updateTaxon,
} from "../services/site";

/**
 * The admin's JSON for everything but articles, mounted at /api/admin behind the admin guard:
 * topics, regions, pages, API tokens, editors and the audit log. Shaped like the articles' JSON:
 * lists as `{ <things>: [...] }`, one thing as itself, a write as the thing saved plus `purge`
 * (what the cache purge did) where it changes what readers see.
 */
export const adminSiteApi = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

/** The JSON object body, refusing keys the endpoint does not know (a typo is not ignored). */
async function body(c: Context<AppEnv>, known: readonly string[]): Promise<Record<string, unknown>> {
	const input = await readJsonObject(c);
	rejectUnknownKeys(input, known);
	return input;
}

const taxonJson = (t: AdminTaxon) => ({ id: t.id, slug: t.slug, name: t.name, articleCount: t.articleCount });

const pageJson = (p: Page) => ({
	slug: p.slug,
	title: p.title,
	bodyMarkdown: p.bodyMarkdown,
	bodyHtml: p.bodyHtml,
	updatedAt: toIso(p.updatedAt),
});

const tokenJson = (t: AdminToken) => ({
	id: t.id,
	name: t.name,
	editor: { id: t.editorId, name: t.editorName, email: t.editorEmail },
	createdAt: toIso(t.createdAt),
	lastUsedAt: toIsoOrNull(t.lastUsedAt),
	revokedAt: toIsoOrNull(t.revokedAt),
});

const editorJson = (e: { id: number; email: string; name: string; role: string; createdAt: number }) => ({
	id: e.id,
	email: e.email,
	name: e.name,
	role: e.role,
	createdAt: toIso(e.createdAt),
});

function auditJson(entry: AuditEntry) {
	let detail: unknown;
	try {
		detail = JSON.parse(entry.detail);
	} catch {
		detail = entry.detail;
	}
	return {
		id: entry.id,
		at: toIso(entry.at),
		editor: { id: entry.editorId, email: entry.editorEmail },
		action: entry.action,
		subject: entry.subject,
		detail,
	};
}

const TAXON_KEYS = ["slug", "name"] as const;

for (const kind of ["topic", "region"] as const) {
	const base = `/${kind}s`;

	adminSiteApi.get(base, adminOnly, async (c) => {
		return c.json({ [`${kind}s`]: (await listTaxa(c.var.db, kind)).map(taxonJson) });
	});

	adminSiteApi.post(base, adminOnly, async (c) => {
		const { taxon, purge } = await createTaxon(c, kind, await body(c, TAXON_KEYS));
		return c.json({ ...taxonJson(taxon), purge }, 201);
	});

	adminSiteApi.get(`${base}/:slug`, adminOnly, async (c) => {
		return c.json(taxonJson(await getTaxon(c.var.db, kind, c.req.param("slug"))));
	});

	// `purge` is null when nothing changed (nothing was written either).
	adminSiteApi.patch(`${base}/:slug`, adminOnly, async (c) => {
		const { taxon, purge } = await updateTaxon(c, kind, c.req.param("slug"), await body(c, TAXON_KEYS));
		return c.json({ ...taxonJson(taxon), purge });
	});

	adminSiteApi.delete(`${base}/:slug`, adminOnly, async (c) => {
		const { taxon, purge } = await deleteTaxon(c, kind, c.req.param("slug"));
		return c.json({ ...taxonJson(taxon), deleted: true, purge });
	});
}

adminSiteApi.get("/pages", async (c) => {
	const rows = await listPages(c.var.db);
	return c.json({ pages: rows.map((p) => ({ slug: p.slug, title: p.title, updatedAt: toIso(p.updatedAt) })) });
});

adminSiteApi.get("/pages/:slug", async (c) => c.json(pageJson(await getPage(c.var.db, c.req.param("slug")))));

adminSiteApi.put("/pages/:slug", async (c) => {
	const input = await body(c, ["title", "bodyMarkdown", "updatedAt"]);
	try {
		const { page, purge } = await savePage(c, c.req.param("slug"), input);
		return c.json({ ...pageJson(page), purge });
	} catch (err) {
		// The stored page comes along, so a client can show what it would have overwritten.
		if (!(err instanceof PageConflict)) throw err;
		const error: ErrorJson["error"] = { code: describeStatus(409).code, message: err.message };
		return c.json({ error, current: pageJson(err.current) }, 409);
	}
});

adminSiteApi.get("/tokens", adminOnly, async (c) => c.json({ tokens: (await listTokens(c.var.db)).map(tokenJson) }));

adminSiteApi.post("/tokens", adminOnly, async (c) => {
	const { token, apiToken } = await createToken(c, await body(c, ["name", "editorId"]));
	// The only response that ever carries the token's text.
	return c.json({ ...tokenJson(apiToken), token }, 201);
});

// Revoking one already revoked answers the same, and changes nothing.
adminSiteApi.delete("/tokens/:id", adminOnly, async (c) => {
	return c.json(tokenJson(await revokeApiToken(c, idParam(c.req.param("id"), "API token"))));
});

adminSiteApi.get("/editors", adminOnly, async (c) => {
	return c.json({ editors: (await listAllEditors(c.var.db)).map(editorJson) });
});

adminSiteApi.patch("/editors/:id", adminOnly, async (c) => {
	const id = idParam(c.req.param("id"), "editor");
	return c.json(editorJson(await updateEditor(c, id, await body(c, ["name", "role"]))));
});

adminSiteApi.delete("/editors/:id", adminOnly, async (c) => {
	const editor = await removeEditor(c, idParam(c.req.param("id"), "editor"));
	return c.json({ ...editorJson(editor), deleted: true });
});

adminSiteApi.get("/audit", adminOnly, async (c) => {
	const { entries, nextBefore } = await readAudit(c.var.db, c.req.query());
	return c.json({ entries: entries.map(auditJson), nextBefore });
});
