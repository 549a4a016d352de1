import { Hono } from "hono";
import * as z from "zod/mini";
import { articlePageTags, formatTags, listTags, tag } from "../cache/tags";
import { getArticlePage, listArticles, listAuthorArticles } from "../db/queries/articles";
import { getPageBySlug } from "../db/queries/pages";
import { listRegions, listTopics } from "../db/queries/taxonomies";
import { encodeCursor } from "../lib/cursor";
import { toIso } from "../lib/dates";
import { badRequest, notFound } from "../lib/errors";
import { authorPath } from "../lib/paths";
import { PAGE_SIZE } from "../lib/site";
import { isSlug } from "../lib/slugs";
import { parseQuery } from "../lib/validation";
import type { AppEnv } from "../types";
import { type PageJson, toArticleJson, toArticleSummaryJson } from "../views/json";
import { cursorParam, limitParam, slugParam, unknownFilters } from "./params";

/** The public JSON API, mounted at /api. */
export const api = new Hono<AppEnv>();

const listArticlesQuery = z.object({
	topic: z.optional(slugParam),
	region: z.optional(slugParam),
	cursor: z.optional(cursorParam),
	limit: z.optional(limitParam),
});

api.get("/articles", async (c) => {
	const query = parseQuery(listArticlesQuery, c.req.query());
	const result = await listArticles(c.var.db, {
		now: Date.now(),
		limit: query.limit ?? PAGE_SIZE,
		cursor: query.cursor ?? null,
		topicSlug: query.topic,
		regionSlug: query.region,
	});
	const fields = unknownFilters(query, result);
	if (Object.keys(fields).length > 0) throw badRequest("Unknown filter value.", fields);
	c.header("cache-tag", formatTags(listTags(result.page.items)));
	return c.json({
		articles: result.page.items.map((row) => toArticleSummaryJson(row, c.var.siteUrl)),
		nextCursor: result.page.next && encodeCursor(result.page.next),
	});
});

api.get("/articles/:slug", async (c) => {
	const slug = c.req.param("slug");
	if (!isSlug(slug)) throw notFound("There is no article with this slug.");
	const { article, related, redirectTo, dependsOn } = await getArticlePage(c.var.db, slug, Date.now());
	if (redirectTo) {
		c.header("cache-tag", tag.article(redirectTo));
		return c.redirect(`/api/articles/${redirectTo}`, 301);
	}
	if (!article) throw notFound("There is no article with this slug.");
	c.header("cache-tag", formatTags(articlePageTags(article, related, dependsOn)));
	return c.json(toArticleJson(article, related, c.var.siteUrl));
});

const authorQuery = z.object({ cursor: z.optional(cursorParam), limit: z.optional(limitParam) });

// An author's page as JSON: who they are, and their newest articles (paginated like /api/articles).
api.get("/authors/:slug", async (c) => {
	const slug = c.req.param("slug");
	if (!isSlug(slug)) throw notFound("There is no author with this slug.");
	const query = parseQuery(authorQuery, c.req.query());
	const { page, author } = await listAuthorArticles(c.var.db, {
		slug,
		now: Date.now(),
		limit: query.limit ?? PAGE_SIZE,
		cursor: query.cursor ?? null,
	});
	if (!author) throw notFound("There is no author with this slug.");
	c.header("cache-tag", formatTags([tag.author(author.slug), ...listTags(page.items)]));
	return c.json({
		slug: author.slug,
		name: author.name,
		url: `${c.var.siteUrl}${authorPath(author.slug)}`,
		description: author.description,
		bio: author.bio,
		link: author.url,
		articles: page.items.map((row) => toArticleSummaryJson(row, c.var.siteUrl)),
		nextCursor: page.next && encodeCursor(page.next),
	});
});

api.get("/topics", async (c) => c.json(await listTopics(c.var.db)));

api.get("/regions", async (c) => c.json(await listRegions(c.var.db)));

api.get("/pages/:slug", async (c) => {
	const slug = c.req.param("slug");
	const page = isSlug(slug) ? await getPageBySlug(c.var.db, slug) : null;
	if (!page) throw notFound("There is no page with this slug.");
	const body: PageJson = {
		slug: page.slug,
		title: page.title,
		bodyHtml: page.bodyHtml,
		updatedAt: toIso(page.updatedAt),
	};
	return c.json(body);
});
