import { Hono } from "hono";
import type { Media } from "../../db/schema";
import { toIso } from "../../lib/dates";
import { describeStatus } from "../../lib/errors";
import { markdownEmbed } from "../../lib/images";
import type { AppEnv } from "../../types";
import { type LeadImageJson, toLeadImageJson } from "../../views/json";
import { depsOf } from "../deps";
import { deleteMedia, getMedia, listLibrary, MediaInUse, updateMediaWords, uploadMedia } from "../services/media";
import { readUpload } from "../upload";
import { body } from "./body";

/** The picture library as JSON (docs/api.md#pictures): upload (multipart), list, one, delete. */
export const media = new Hono<AppEnv>();

/** A library picture: what an article's `leadImage` shows of it, and what the library knows besides. */
export type MediaJson = LeadImageJson & {
	id: string;
	bytes: number;
	type: Media["type"];
	/** The Markdown that embeds it in an article's body. */
	markdown: string;
	createdAt: string;
};

export function mediaJson(m: Media, siteUrl: string): MediaJson {
	return {
		id: m.id,
		...toLeadImageJson(m, siteUrl),
		bytes: m.bytes,
		type: m.type,
		markdown: markdownEmbed(m),
		createdAt: toIso(m.createdAt),
	};
}

// 201 for a new picture; 200 with the stored one when the same bytes are already in the library.
media.post("/media", async (c) => {
	const { file, fields } = await readUpload(c);
	const { media: row, created } = await uploadMedia(depsOf(c), c.env.MEDIA, file, fields);
	return c.json(mediaJson(row, c.var.siteUrl), created ? 201 : 200);
});

media.get("/media", async (c) => {
	const page = await listLibrary(c.var.db, { cursor: c.req.query("cursor"), limit: c.req.query("limit") });
	return c.json({ media: page.media.map((m) => mediaJson(m, c.var.siteUrl)), nextCursor: page.nextCursor });
});

media.get("/media/:id", async (c) => c.json(mediaJson(await getMedia(c.var.db, c.req.param("id")), c.var.siteUrl)));

// Its words only (alt, caption, credit); `purge` is null when nothing changed.
media.patch("/media/:id", async (c) => {
	const input = await body(c, ["alt", "caption", "credit"]);
	const { media: row, purge } = await updateMediaWords(depsOf(c), c.req.param("id"), input);
	return c.json({ ...mediaJson(row, c.var.siteUrl), purge });
});

media.delete("/media/:id", async (c) => {
	try {
		const { media: row, purge } = await deleteMedia(depsOf(c), c.env.MEDIA, c.req.param("id"));
		return c.json({ ...mediaJson(row, c.var.siteUrl), deleted: true, purge });
	} catch (err) {
		if (!(err instanceof MediaInUse)) throw err;
		// The usual error, and the articles to change first.
		const articles = err.articles.map((a) => ({ id: a.id, slug: a.slug, title: a.title }));
		return c.json({ error: { code: describeStatus(409).code, message: err.message, articles } }, 409);
	}
});
