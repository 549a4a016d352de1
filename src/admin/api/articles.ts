import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { type ArticleSummaryRow, getArticlePage } from "../../db/queries/articles";
import { toIso, toIsoOrNull } from "../../lib/dates";
import { badRequest, describeStatus, notFound } from "../../lib/errors";
import { articlePath } from "../../lib/paths";
import { parseQuery, readJsonObject, rejectUnknownKeys } from "../../lib/validation";
import type { AppEnv } from "../../types";
import {
	type ArticleSummaryJson,
	type CorrectionJson,
	type ErrorJson,
	type LeadImageJson,
	toArticleSummaryJson,
	toAuthorsJson,
	toCorrectionJson,
	toLeadImageJson,
} from "../../views/json";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { API_LIST_LIMIT_MAX } from "../limits";
import { isLive, isScheduled } from "../services/article-state";
import {
	ADMIN_LIST_STATUSES,
	type AdminArticle,
	type AdminListQuery,
	ARTICLE_DRAFT_KEYS,
	type ArticleRevision,
	createArticle,
	destroyArticle,
	getAdminArticle,
	getRevision,
	listAdminArticles,
	listRevisions,
	restoreArticle,
	restoreRevision,
	type SaveResult,
	trashArticle,
	updateArticle,
	VERSION_MESSAGE,
	VersionConflict,
} from "../services/articles";
import { ID_PATTERN, parseId } from "../validation";

/**
 * The admin's JSON for articles and purges, mounted at /api/admin behind the admin guard (which
 * authenticates, checks the Origin of cookie requests and marks every answer private). The
 * rules live in the service (../services/articles.ts); these handlers map JSON to it and back.
 */
export const articles = new Hono<AppEnv>();

/** `Article` (docs/api.md) plus what only editors see (docs/admin.md). Times are ISO 8601 UTC. */
export type AdminArticleJson = Omit<ArticleSummaryJson, "publishedAt"> & {
	id: number;
	publishedAt: string | null;
	createdAt: string;
	status: AdminArticle["status"];
	version: number;
	deletedAt: string | null;
	retiredSlugs: string[];
	/** Readers see it now. */
	live: boolean;
	/** Published, with a time still to come. */
	scheduled: boolean;
	bodyMarkdown: string;
	bodyHtml: string;
	/** Public corrections, oldest first. */
	corrections: CorrectionJson[];
	/** The picture above the body, with its library id (what `leadImage` in a create or PATCH names). */
	leadImage: (LeadImageJson & { id: string }) | null;
	related: ArticleSummaryJson[];
};

/** A list entry: the article without its bodies and Related Articles. */
export type AdminArticleListJson = Omit<
	AdminArticleJson,
	"bodyMarkdown" | "bodyHtml" | "corrections" | "leadImage" | "related"
>;

function listJson(a: AdminArticle, siteUrl: string, now: number): AdminArticleListJson {
	return {
		id: a.id,
		slug: a.slug,
		title: a.title,
		summary: a.summary,
		publishedAt: toIsoOrNull(a.publishedAt),
		updatedAt: toIso(a.updatedAt),
		createdAt: toIso(a.createdAt),
		url: `${siteUrl}${articlePath(a.slug)}`,
		region: a.region,
		topic: a.topic,
		authors: toAuthorsJson(a.authors, siteUrl),
		status: a.status,
		version: a.version,
		deletedAt: toIsoOrNull(a.deletedAt),
		retiredSlugs: a.retiredSlugs,
		live: isLive(a, now),
		scheduled: isScheduled(a, now),
	};
}

/** The whole article, with Related Articles as a reader sees them now (none unless it is live). */
async function articleJson(c: Context<AppEnv>, a: AdminArticle): Promise<AdminArticleJson> {
	const now = Date.now();
	let related: ArticleSummaryRow[] = [];
	if (isLive(a, now)) related = (await getArticlePage(c.var.db, a.slug, now)).related;
	return {
		...listJson(a, c.var.siteUrl, now),
		bodyMarkdown: a.bodyMarkdown,
		bodyHtml: a.bodyHtml,
		corrections: a.corrections.map(toCorrectionJson),
		leadImage: adminLeadImageJson(a, c.var.siteUrl),
		related: related.map((row) => toArticleSummaryJson(row, c.var.siteUrl)),
	};
}

function adminLeadImageJson(a: AdminArticle, siteUrl: string): AdminArticleJson["leadImage"] {
	const json = toLeadImageJson(a.leadImage, siteUrl);
	return a.leadImage && json ? { id: a.leadImage.id, ...json } : null;
}

/** What a write answers: the article as saved, and what the cache purge did. */
async function savedJson(c: Context<AppEnv>, result: SaveResult) {
	return { ...(await articleJson(c, result.article)), purge: result.purge };
}

function revisionJson(r: ArticleRevision) {
	return {
		version: r.version,
		slug: r.slug,
		title: r.title,
		summary: r.summary,
		bodyMarkdown: r.bodyMarkdown,
		region: r.region,
		topic: r.topic,
		status: r.status,
		publishedAt: toIsoOrNull(r.publishedAt),
		deletedAt: toIsoOrNull(r.deletedAt),
		editor: { id: r.editorId, name: r.editorName },
		createdAt: toIso(r.createdAt),
	};
}

// A stale version answers with what is stored now, so that a client can show both side by side.
articles.onError(async (err, c) => {
	// Anything else goes on to app.onError, as from any other handler.
	if (!(err instanceof VersionConflict)) throw err;
	const { code } = describeStatus(409);
	const body: ErrorJson & { current: AdminArticleJson } = {
		error: { code, message: err.message },
		current: await articleJson(c, err.current),
	};
	return c.json(body, 409);
});

const ID = `:id{${ID_PATTERN}}`;
const REV = `:rev{${ID_PATTERN}}`;

async function requireArticle(c: Context<AppEnv>, id: string): Promise<AdminArticle> {
	const article = await getAdminArticle(c.var.db, Number(id));
	if (!article) throw notFound("There is no article with this id.");
	return article;
}

/** `{ version }` (or `?version=`) for the actions that take nothing else; all of it may be left out. */
async function readVersion(c: Context<AppEnv>): Promise<number | undefined> {
	const body = await readJsonObject(c, { optional: true });
	rejectUnknownKeys(body, ["version"]);
	const value = body.version ?? c.req.query("version");
	if (value === undefined || value === null) return undefined;
	const version = parseId(value);
	if (version === null) throw badRequest("The version is not valid.", { version: VERSION_MESSAGE });
	return version;
}

/** `?permanent=true` asks for a permanent delete; anything but true/false is a typo worth a 400. */
function isPermanent(c: Context<AppEnv>): boolean {
	const value = c.req.query("permanent");
	if (value === undefined || value === "false") return false;
	if (value === "true") return true;
	throw badRequest("The query parameters are not valid.", { permanent: "Must be true or false." });
}

const LIMIT_MESSAGE = `Must be a whole number from 1 to ${API_LIST_LIMIT_MAX}.`;

const listQuery = z.object({
	status: z.optional(z.enum(ADMIN_LIST_STATUSES, { error: `Must be one of ${ADMIN_LIST_STATUSES.join(", ")}.` })),
	q: z.optional(z.string()),
	topic: z.optional(z.string()),
	region: z.optional(z.string()),
	cursor: z.optional(z.string()),
	limit: z.optional(
		z.pipe(
			z.string().check(z.regex(/^\d{1,4}$/, LIMIT_MESSAGE)),
			z.pipe(
				z.transform(Number),
				z.number().check(z.minimum(1, LIMIT_MESSAGE), z.maximum(API_LIST_LIMIT_MAX, LIMIT_MESSAGE)),
			),
		),
	),
});

articles.get("/articles", async (c) => {
	const query: AdminListQuery = parseQuery(listQuery, c.req.query());
	const now = Date.now();
	// "" is how an HTML form says "any": the same here.
	const list = await listAdminArticles(
		c.var.db,
		{ ...query, topic: query.topic || undefined, region: query.region || undefined, cursor: query.cursor || undefined },
		now,
	);
	return c.json({
		articles: list.items.map((a) => listJson(a, c.var.siteUrl, now)),
		nextCursor: list.nextCursor,
	});
});

const CREATE_KEYS = ARTICLE_DRAFT_KEYS.filter((key) => key !== "version");

articles.post("/articles", async (c) => {
	const body = await readJsonObject(c);
	rejectUnknownKeys(body, CREATE_KEYS);
	const result = await createArticle(depsOf(c), body);
	return c.json(await savedJson(c, result), 201);
});

articles.get(`/articles/${ID}`, async (c) => c.json(await articleJson(c, await requireArticle(c, c.req.param("id")))));

articles.patch(`/articles/${ID}`, async (c) => {
	const body = await readJsonObject(c);
	rejectUnknownKeys(body, ARTICLE_DRAFT_KEYS);
	const result = await updateArticle(depsOf(c), Number(c.req.param("id")), body);
	return c.json(await savedJson(c, result));
});

const adminOnly = requireRole("admin");

// To the trash; with ?permanent=true, out of the trash for good (admins only).
articles.delete(
	`/articles/${ID}`,
	async (c, next) => {
		if (isPermanent(c)) return adminOnly(c, next);
		await next();
	},
	async (c) => {
		const id = Number(c.req.param("id"));
		if (isPermanent(c)) {
			const { article, purge } = await destroyArticle(depsOf(c), id);
			return c.json({ id: article.id, slug: article.slug, destroyed: true, purge });
		}
		const result = await trashArticle(depsOf(c), id, await readVersion(c));
		return c.json(await savedJson(c, result));
	},
);

articles.post(`/articles/${ID}/restore`, async (c) => {
	const result = await restoreArticle(depsOf(c), Number(c.req.param("id")), await readVersion(c));
	return c.json(await savedJson(c, result));
});

articles.get(`/articles/${ID}/revisions`, async (c) => {
	const article = await requireArticle(c, c.req.param("id"));
	const revisions = await listRevisions(c.var.db, article.id);
	return c.json({ revisions: revisions.map(revisionJson) });
});

articles.get(`/articles/${ID}/revisions/${REV}`, async (c) => {
	const article = await requireArticle(c, c.req.param("id"));
	const revision = await getRevision(c.var.db, article.id, Number(c.req.param("rev")));
	if (!revision) throw notFound("This article has no such revision.");
	return c.json(revisionJson(revision));
});

articles.post(`/articles/${ID}/revisions/${REV}/restore`, async (c) => {
	const id = Number(c.req.param("id"));
	const result = await restoreRevision(depsOf(c), id, Number(c.req.param("rev")), await readVersion(c));
	return c.json(await savedJson(c, result));
});
