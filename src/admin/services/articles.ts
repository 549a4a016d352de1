import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import {
	ADMIN_LIST_STATUSES,
	type AdminArticle,
	type AdminArticleRow,
	type AdminListStatus,
	type ArticleValues,
	articleValuesOf,
	auditInsertWhere,
	deleteTrashedArticle,
	findAdminArticle,
	inTrashWhere,
	listAdminArticleRows,
	toAdminArticle,
} from "../../db/queries/article-writes";
import { findAuthorOfEditor } from "../../db/queries/authors";
import { findMediaByIds } from "../../db/queries/media";
import {
	findRevisionRow,
	listRevisionRows,
	publishedRevisionExists,
	type RevisionRow,
} from "../../db/queries/revisions";
import { findTaxon } from "../../db/queries/taxonomies";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { embeddedMediaIds } from "../../lib/images";
import { parseSearch } from "../../lib/search";
import { isReservedArticleSlug, isSlug, slugify } from "../../lib/slugs";
import { type PictureSizes, renderBody, renderMarkdown } from "../../markdown";
import { API_LIST_LIMIT_DEFAULT, API_LIST_LIMIT_MAX } from "../limits";
import { type Fields, invalid, isId } from "../validation";
import {
	type ArticleDraft,
	type Byline,
	parseDraft,
	reservedSlugMessage,
	resolveAuthors,
	resolvePublishedAt,
	resolveTaxa,
	VERSION_MESSAGE,
} from "./article-input";
import {
	auditEntry,
	changedFields,
	type Loaded,
	loadArticle,
	type SaveResult,
	sameByline,
	saveArticleChange,
	saveNewArticle,
	VersionConflict,
} from "./article-save";
import { factsOf, isLive } from "./article-state";
import type { Deps } from "./deps";
import { purgeChanges } from "./purge";

// The article service: reading articles as editors see them, and each action that changes one
// (create, edit, trash, restore, delete for good, revert to a revision). The HTML screens
// (../html/articles.tsx) and the JSON API (../api/articles.ts) both call these, so the rules
// are the same either way. A draft's fields are checked by ./article-input.ts; every change is
// written by ./article-save.ts (one guarded batch with its revision, audit entry and redirects, then the purge).

export { ADMIN_LIST_STATUSES, type AdminArticle } from "../../db/queries/article-writes";
export { ARTICLE_DRAFT_KEYS, type ArticleDraft, VERSION_MESSAGE } from "./article-input";
export { type SaveResult, VersionConflict } from "./article-save";

export type ArticleRevision = RevisionRow;

/** The same renderer as a save: what a preview shows is what readers will get. */
export function previewMarkdown(markdown: string): Promise<string> {
	return renderMarkdown(markdown);
}

/**
 * The body's stored forms: the HTML readers get and the plain text search indexes. The library
 * pictures it embeds are looked up (one query, none without any) for their sizes, and so is the
 * lead image when `lead` names one: `leadFound` says whether the library has it.
 */
async function storedBody(
	db: Db,
	markdown: string,
	lead: string | null = null,
): Promise<{ bodyHtml: string; bodyText: string; leadFound: boolean }> {
	const ids = embeddedMediaIds(markdown);
	const wanted = lead && !ids.includes(lead) ? [...ids, lead] : ids;
	const rows = wanted.length > 0 ? await findMediaByIds(db, wanted) : [];
	const sizes: PictureSizes = {};
	for (const m of rows) if (ids.includes(m.id)) sizes[m.id] = { width: m.width, height: m.height };
	const { html, text } = await renderBody(markdown, sizes);
	return { bodyHtml: html, bodyText: text, leadFound: lead !== null && rows.some((m) => m.id === lead) };
}

async function storedBodyOnly(db: Db, markdown: string): Promise<{ bodyHtml: string; bodyText: string }> {
	const { bodyHtml, bodyText } = await storedBody(db, markdown);
	return { bodyHtml, bodyText };
}

const NO_SUCH_PICTURE = (id: string) =>
	`There is no picture "${id}" in the library: upload it first, or choose another.`;

// ---- reading ------------------------------------------------------------------------------------

export async function getAdminArticle(db: Db, id: number): Promise<AdminArticle | null> {
	if (!isId(id)) return null;
	const [row] = await findAdminArticle(db, id);
	return row ? toAdminArticle(row) : null;
}

export type AdminListQuery = {
	status?: AdminListStatus;
	q?: string;
	topic?: string;
	region?: string;
	cursor?: string;
	limit?: number;
};

export type AdminList = {
	items: AdminArticle[];
	nextCursor: string | null;
	/** `q` had no word to search for (only punctuation or symbols, say): nothing matches it. */
	noWords: boolean;
};

/**
 * One page of articles, newest change first. Status "all" (the default) is everything but the
 * trash; "published" is what readers see now, "scheduled" what they will see later. `q` is a
 * full-text search of title, summary and body, as readers search (src/lib/search.ts). Bad input
 * (an unknown status, topic or region, a cursor this site did not issue, a search too long) is a
 * 400 naming it.
 */
export async function listAdminArticles(db: Db, query: AdminListQuery, now: number): Promise<AdminList> {
	const fields: Fields = {};
	const status = query.status ?? "all";
	if (!ADMIN_LIST_STATUSES.includes(status)) fields.status = `Must be one of ${ADMIN_LIST_STATUSES.join(", ")}.`;
	const search = parseSearch(query.q ?? "");
	if (!search.ok) fields.q = search.message;
	// An empty box is no search; a search without a word in it (`"*"`, an emoji) matches nothing.
	const searching = search.ok && search.text !== "";
	const limit = query.limit ?? API_LIST_LIMIT_DEFAULT;
	if (!Number.isInteger(limit) || limit < 1 || limit > API_LIST_LIMIT_MAX) {
		fields.limit = `Must be a whole number from 1 to ${API_LIST_LIMIT_MAX}.`;
	}
	const cursor = query.cursor ? decodeCursor(query.cursor) : null;
	if (query.cursor && !cursor) fields.cursor = "Not a cursor this list issued; use nextCursor from a list response.";
	for (const kind of ["topic", "region"] as const) {
		const slug = query[kind];
		if (slug !== undefined && !isSlug(slug)) fields[kind] = `There is no ${kind} "${slug}".`;
	}
	if (Object.keys(fields).length > 0) throw badRequest("The list's parameters are not valid.", fields);

	const list = listAdminArticleRows(db, {
		status,
		match: searching ? search.match : undefined,
		topicSlug: query.topic,
		regionSlug: query.region,
		// The admin's cursor carries (updatedAt, id): the list's own sort key, in the public format.
		after: cursor ? { updatedAt: cursor.publishedAt, id: cursor.id } : null,
		limit,
		now,
	});
	const rows = await withFilterTaxa(db, list, query, fields);
	if (Object.keys(fields).length > 0) throw badRequest("Unknown filter value.", fields);

	const items = rows.slice(0, limit).map(toAdminArticle);
	const last = items.at(-1);
	const more = rows.length > limit && last !== undefined;
	const nextCursor = more ? encodeCursor({ publishedAt: last.updatedAt, id: last.id }) : null;
	return { items, nextCursor, noWords: searching && search.match === null };
}

/**
 * Runs the list with the lookups of the topic and region it filters by, in one round trip, to
 * tell "no such topic" (a message in `fields`) from "none of its articles match".
 */
async function withFilterTaxa(
	db: Db,
	list: ReturnType<typeof listAdminArticleRows>,
	query: AdminListQuery,
	fields: Fields,
): Promise<AdminArticleRow[]> {
	const filters = (["topic", "region"] as const).filter((kind) => query[kind] !== undefined);
	if (filters.length === 0) return list;
	// Only the lookups the filters need ride along; the batch's result types are positional.
	const [rows, ...found] = (await db.batch([
		list,
		...filters.map((kind) => findTaxon(db, kind, query[kind] ?? "")),
	])) as [AdminArticleRow[], ...unknown[][]];
	filters.forEach((kind, i) => {
		if (found[i]?.length === 0) fields[kind] = `There is no ${kind} "${query[kind]}".`;
	});
	return rows;
}

/** Newest first. */
export function listRevisions(db: Db, id: number): Promise<ArticleRevision[]> {
	return isId(id) ? listRevisionRows(db, id) : Promise.resolve([]);
}

export function getRevision(db: Db, id: number, version: number): Promise<ArticleRevision | null> {
	return isId(id) && isId(version) ? findRevisionRow(db, id, version) : Promise.resolve(null);
}

/**
 * Whether the article is published (scheduled counts) or was saved as published before: then its
 * slug may be known out there, and a change of slug keeps a redirect from it.
 */
export async function hasBeenPublished(db: Db, article: AdminArticle): Promise<boolean> {
	if (article.status === "published") return true;
	return (await publishedRevisionExists(db, article.id)).length > 0;
}

// ---- changing -----------------------------------------------------------------------------------

export async function createArticle(deps: Deps, draft: ArticleDraft): Promise<SaveResult> {
	const fields: Fields = {};
	// A version means nothing for an article that does not exist yet.
	const parsed = parseDraft({ ...draft, version: undefined }, fields);
	for (const key of ["title", "summary", "bodyMarkdown"] as const) {
		if (draft[key] === undefined || draft[key] === null) fields[key] = "Required.";
	}
	let slug = parsed.slug;
	if (draft.slug === undefined || draft.slug === null || draft.slug === "") {
		delete fields.slug;
		slug = parsed.title === undefined ? undefined : slugify(parsed.title);
		if (slug === "") {
			fields.slug =
				"The title has no letters or digits to make an address from: enter a slug (e.g. rare-earth-prices-rise).";
		}
	}
	if (slug && isReservedArticleSlug(slug)) fields.slug = reservedSlugMessage(slug);
	if (parsed.correction) fields.correction = CORRECTION_ON_NEW;
	const taxa = await resolveTaxa(deps.db, parsed, fields);
	// Left out: the author linked to the editor who creates it, if any.
	const byline = (await resolveAuthors(deps.db, parsed.authors, fields)) ?? (await ownByline(deps));
	const { title, summary, bodyMarkdown } = parsed;
	if (Object.keys(fields).length > 0 || !title || !summary || !bodyMarkdown || !slug) throw invalid(fields);
	const leadImageId = parsed.leadImage ?? null;
	const { leadFound, ...body } = await storedBody(deps.db, bodyMarkdown, leadImageId);
	if (leadImageId && !leadFound) throw invalid({ leadImage: NO_SUCH_PICTURE(leadImageId) });

	const status = parsed.status ?? "draft";
	return saveNewArticle(
		deps,
		{
			slug,
			title,
			summary,
			bodyMarkdown,
			...body,
			leadImageId,
			regionId: taxa.region ?? null,
			topicId: taxa.topic ?? null,
			status,
			publishedAt: resolvePublishedAt(status, parsed.publishedAt, null, deps.now),
			deletedAt: null,
			updatedAt: deps.now,
			createdAt: deps.now,
		},
		byline,
	);
}

/** The byline of a new article whose draft names no authors: the signed-in editor's own author, or none. */
async function ownByline(deps: Deps): Promise<Byline> {
	const [own] = await findAuthorOfEditor(deps.db, deps.editor.id);
	return own ? { ids: [own.id], slugs: [own.slug] } : { ids: [], slugs: [] };
}

/** A partial edit: the fields left out keep their stored values; `version` is required. */
export async function updateArticle(deps: Deps, id: number, draft: ArticleDraft): Promise<SaveResult> {
	const loaded = await loadArticle(deps.db, id);
	const fields: Fields = {};
	const parsed = parseDraft(draft, fields);
	if (draft.version === undefined || draft.version === null || draft.version === "") {
		fields.version = "Required: the version this edit is based on (the article's version when you loaded it).";
	}
	const before = loaded.article;
	if (parsed.slug !== undefined && parsed.slug !== before.slug && isReservedArticleSlug(parsed.slug)) {
		fields.slug = reservedSlugMessage(parsed.slug);
	}
	const taxa = await resolveTaxa(deps.db, parsed, fields);
	const byline = await resolveAuthors(deps.db, parsed.authors, fields);
	if (Object.keys(fields).length > 0 || parsed.version === undefined) throw invalid(fields);

	const stored = articleValuesOf(loaded.row, deps.now);
	const status = parsed.status ?? stored.status;
	const bodyMarkdown = parsed.bodyMarkdown ?? stored.bodyMarkdown;
	// Left out: as stored (a picture in use cannot have been deleted); a new one must exist.
	const leadImageId = parsed.leadImage === undefined ? stored.leadImageId : parsed.leadImage;
	const newLead = leadImageId !== stored.leadImageId ? leadImageId : null;
	const { leadFound, ...body } = await storedBody(deps.db, bodyMarkdown, newLead);
	if (newLead && !leadFound) throw invalid({ leadImage: NO_SUCH_PICTURE(newLead) });
	const values: ArticleValues = {
		...stored,
		slug: parsed.slug ?? stored.slug,
		title: parsed.title ?? stored.title,
		summary: parsed.summary ?? stored.summary,
		bodyMarkdown,
		...body,
		leadImageId,
		regionId: taxa.region === undefined ? stored.regionId : taxa.region,
		topicId: taxa.topic === undefined ? stored.topicId : taxa.topic,
		status,
		publishedAt: resolvePublishedAt(status, parsed.publishedAt, stored.publishedAt, deps.now),
	};
	const correction = parsed.correction ?? undefined;
	if (correction && !(isLive(before, deps.now) && isLive(values, deps.now))) {
		throw invalid({ correction: CORRECTION_NOT_LIVE });
	}
	// A save that changes nothing writes nothing: no new version, revision, audit entry or purge.
	// Only at the stored version, though: one based on an older version is still refused (409),
	// as its sender has not seen what changed meanwhile. A correction note alone is a change: it
	// is how an editor says in public what an earlier edit fixed.
	// A new byline is a change of content like any other (a new version, and updatedAt moves).
	const bylineChanged = byline !== undefined && !sameByline(before, byline);
	if (
		parsed.version === before.version &&
		changedFields(stored, values).length === 0 &&
		!bylineChanged &&
		!correction
	) {
		return { article: before, purge: null };
	}
	const action =
		status === before.status ? "article.update" : status === "published" ? "article.publish" : "article.unpublish";
	return saveArticleChange(deps, loaded, parsed.version, values, {
		action,
		correction,
		...(bylineChanged ? { byline } : {}),
	});
}

const CORRECTION_ON_NEW = "A new article has nothing to correct: add a correction when you edit it after publication.";
const CORRECTION_NOT_LIVE =
	"Only an article readers can see, and go on seeing after this save, can carry a correction: this one is a draft, scheduled, in the trash, or being unpublished.";

/** An explicit version, or (left out) the stored one: the caller takes whatever is current. */
function baseVersionOf(version: number | undefined, loaded: Loaded): number {
	if (version === undefined) return loaded.article.version;
	if (!isId(version)) throw invalid({ version: VERSION_MESSAGE });
	return version;
}

/** To the trash: readers get a 404 at once; restoreArticle brings it back. */
export function trashArticle(deps: Deps, id: number, version?: number): Promise<SaveResult> {
	return moveTrash(deps, id, version, true);
}

export function restoreArticle(deps: Deps, id: number, version?: number): Promise<SaveResult> {
	return moveTrash(deps, id, version, false);
}

async function moveTrash(deps: Deps, id: number, version: number | undefined, toTrash: boolean) {
	const loaded = await loadArticle(deps.db, id);
	const base = baseVersionOf(version, loaded);
	if ((loaded.article.deletedAt !== null) === toTrash) {
		if (base !== loaded.article.version) throw new VersionConflict(loaded.article, base);
		throw new AppError(409, toTrash ? "This article is already in the trash." : "This article is not in the trash.");
	}
	const values = { ...articleValuesOf(loaded.row, deps.now), deletedAt: toTrash ? deps.now : null };
	return saveArticleChange(deps, loaded, base, values, { action: toTrash ? "article.trash" : "article.restore" });
}

/**
 * Deletes an article in the trash for good, with its revisions and redirects (admins only). The
 * audit entry stays, naming what was deleted.
 */
export async function destroyArticle(deps: Deps, id: number): Promise<{ article: AdminArticle; purge: PurgeReport }> {
	const { db } = deps;
	if (deps.editor.role !== "admin") throw new AppError(403, "Only an admin can delete an article permanently.");
	const { article } = await loadArticle(db, id);
	if (article.deletedAt === null) {
		throw new AppError(409, "Only an article in the trash can be deleted permanently. Move it to the trash first.");
	}
	const entry = auditEntry(deps, "article.destroy", {
		title: article.title,
		slug: article.slug,
		retiredSlugs: article.retiredSlugs,
		fromVersion: article.version,
	});
	const [, deleted] = await db.batch([
		auditInsertWhere(db, entry, inTrashWhere(article.id)),
		deleteTrashedArticle(db, article.id),
	]);
	if (deleted.length === 0) {
		// Restored or deleted by someone else in the meantime.
		if (!(await getAdminArticle(db, article.id))) throw notFound("There is no article with this id.");
		throw new AppError(409, "This article was restored from the trash in the meantime; nothing was deleted.");
	}
	const purge = await purgeChanges(deps, [{ kind: "article", before: factsOf(article, deps.now), after: null }]);
	return { article, purge };
}

/**
 * Saves an earlier revision's content (title, summary, body, slug, region, topic) as a new
 * version; whether the article is published, when, and whether it is in the trash stay as they are.
 */
export async function restoreRevision(
	deps: Deps,
	id: number,
	version: number,
	baseVersion?: number,
): Promise<SaveResult> {
	const loaded = await loadArticle(deps.db, id);
	const revision = await getRevision(deps.db, loaded.article.id, version);
	if (!revision) throw notFound("This article has no such revision.");
	const base = baseVersionOf(baseVersion, loaded);
	const values: ArticleValues = {
		...articleValuesOf(loaded.row, deps.now),
		slug: revision.slug,
		title: revision.title,
		summary: revision.summary,
		bodyMarkdown: revision.bodyMarkdown,
		...(await storedBodyOnly(deps.db, revision.bodyMarkdown)),
		// A region or topic deleted since is gone from the article too (as its foreign key did).
		regionId: revision.region ? revision.regionId : null,
		topicId: revision.topic ? revision.topicId : null,
	};
	return saveArticleChange(deps, loaded, base, values, {
		action: "article.revert",
		detail: { restoredVersion: revision.version },
	});
}
