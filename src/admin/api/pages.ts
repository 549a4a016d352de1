import { Hono } from "hono";
import type { Page } from "../../db/schema";
import { toIso } from "../../lib/dates";
import { describeStatus } from "../../lib/errors";
import type { AppEnv } from "../../types";
import type { ErrorJson } from "../../views/json";
import { depsOf } from "../deps";
import { getPage, listPages, PageConflict, savePage } from "../services/pages";
import { body } from "./body";

/** The About and Services pages as JSON; a save based on a stale `updatedAt` is a 409 with the stored page. */
export const pages = new Hono<AppEnv>();

const pageJson = (p: Page) => ({
	slug: p.slug,
	title: p.title,
	bodyMarkdown: p.bodyMarkdown,
	bodyHtml: p.bodyHtml,
	updatedAt: toIso(p.updatedAt),
});

pages.get("/pages", async (c) => {
	const rows = await listPages(c.var.db);
	return c.json({ pages: rows.map((p) => ({ slug: p.slug, title: p.title, updatedAt: toIso(p.updatedAt) })) });
});

pages.get("/pages/:slug", async (c) => c.json(pageJson(await getPage(c.var.db, c.req.param("slug")))));

pages.put("/pages/:slug", async (c) => {
	const input = await body(c, ["title", "bodyMarkdown", "updatedAt"]);
	try {
		const { page, purge } = await savePage(depsOf(c), c.req.param("slug"), input);
		return c.json({ ...pageJson(page), purge });
	} catch (err) {
		// The stored page comes along, so a client can show what it would have overwritten.
		if (!(err instanceof PageConflict)) throw err;
		const error: ErrorJson["error"] = { code: describeStatus(409).code, message: err.message };
		return c.json({ error, current: pageJson(err.current) }, 409);
	}
});
