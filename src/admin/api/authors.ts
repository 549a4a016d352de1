import { Hono } from "hono";
import type { AdminAuthor } from "../../db/queries/authors";
import { authorPath } from "../../lib/paths";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import {
	AUTHOR_KEYS,
	AUTHOR_PATCH_KEYS,
	createAuthor,
	getAuthor,
	listAuthors,
	updateAuthor,
} from "../services/authors";
import { body } from "./body";

/** Authors as JSON (admins only, as topics): `{ authors: [...] }`, one as itself, a write with `purge`. */
export const authors = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

const authorJson = (a: AdminAuthor, siteUrl: string) => ({
	id: a.id,
	slug: a.slug,
	name: a.name,
	bio: a.bio,
	url: a.url,
	description: a.description,
	page: `${siteUrl}${authorPath(a.slug)}`,
	editor: a.editor ? a.editor.email : null,
	articleCount: a.articleCount,
	createdAt: new Date(a.createdAt).toISOString(),
	updatedAt: new Date(a.updatedAt).toISOString(),
});

authors.get("/authors", adminOnly, async (c) => {
	return c.json({ authors: (await listAuthors(c.var.db)).map((a) => authorJson(a, c.var.siteUrl)) });
});

authors.post("/authors", adminOnly, async (c) => {
	const { author, purge } = await createAuthor(depsOf(c), await body(c, AUTHOR_KEYS));
	return c.json({ ...authorJson(author, c.var.siteUrl), purge }, 201);
});

authors.get("/authors/:slug", adminOnly, async (c) => {
	return c.json(authorJson(await getAuthor(c.var.db, c.req.param("slug")), c.var.siteUrl));
});

// `purge` is null when nothing readers see changed (nothing at all, or only the linked editor).
authors.patch("/authors/:slug", adminOnly, async (c) => {
	const { author, purge } = await updateAuthor(depsOf(c), c.req.param("slug"), await body(c, AUTHOR_PATCH_KEYS));
	return c.json({ ...authorJson(author, c.var.siteUrl), purge });
});
