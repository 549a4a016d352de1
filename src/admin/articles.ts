import type { Context } from "hono";
import * as z from "zod/mini";
import { type ArticleChangeKind, type ArticleFacts, type ContentChange, planPurge } from "../cache/plan";
import { applyPurge, mergePlans, type PurgeReport } from "../cache/purge";
import {
	type AdminArticleRow,
	type AdminListStatus,
	type ArticleValues,
	auditInsertWhere,
	deleteTrashedArticle,
	findAdminArticle,
	findAdminArticleBySlug,
	findSlugHolders,
	findTaxonId,
	guardWhere,
	insertArticleIfSlugFree,
	inTrashWhere,
	listAdminArticleRows,
	newArticleWhere,
	retiredSlugsOf,
	retireSlugGuarded,
	type SaveGuard,
	unretireSlugGuarded,
	updateArticleGuarded,
} from "../db/queries/admin-articles";
import type { AuditInput } from "../db/queries/audit";
import {
	findRevisionRow,
	insertFirstRevision,
	insertRevisionWhere,
	listRevisionRows,
	publishedRevisionExists,
	type RevisionAuthor,
	type RevisionRow,
} from "../db/queries/revisions";
import { findTaxon, type TaxonKind } from "../db/queries/taxonomies";
import { type ArticleStatus, articleStatuses } from "../db/schema";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { AppError, badRequest, notFound } from "../lib/errors";
import { renderMarkdown } from "../lib/markdown";
import { isReservedArticleSlug, isSlug, SLUG_MAX_LENGTH, SLUG_PATTERN, slugify } from "../lib/slugs";
import type { AppEnv, CurrentEditor, Db } from "../types";
import { purgeChanges } from "./purge";

// Writing articles: the one place that validates a draft, saves it with its revision, audit entry
// and slug redirect, and purges what readers see. The HTML screens (routes/admin-articles.tsx)
// and the JSON API (routes/admin-api.ts) both call these, so the rules are the same either way.

export type ActionContext = { db: Db; editor: CurrentEditor; now: number };

export function actionContext(c: Context<AppEnv>): ActionContext {
	return { db: c.var.db, editor: c.var.editor, now: Date.now() };
}

/** Raw input as it arrives (JSON body, or form fields mapped by the HTML routes). */
export type ArticleDraft = {
	title?: unknown;
	summary?: unknown;
	bodyMarkdown?: unknown;
	slug?: unknown;
	/** Slugs, or "" / null for none. */
	region?: unknown;
	topic?: unknown;
	/** "draft" | "published". */
	status?: unknown;
	/**
	 * ISO 8601 with Z or an offset, or "YYYY-MM-DDTHH:mm[:ss]" read as UTC. Left out: the stored
	 * time stays (now, when publishing an article that has none). "" or null: when publishing,
	 * now, unless the article is already out (then its time stays); for a draft, none.
	 */
	publishedAt?: unknown;
	/** The version the edit is based on; required for updates. */
	version?: unknown;
};

export const ARTICLE_DRAFT_KEYS = [
	"title",
	"summary",
	"bodyMarkdown",
	"slug",
	"region",
	"topic",
	"status",
	"publishedAt",
	"version",
] as const satisfies readonly (keyof ArticleDraft)[];

export type Taxon = { slug: string; name: string };

/** A row with its region/topic slugs and names, and the old slugs that redirect to it. */
export type AdminArticle = {
	id: number;
	slug: string;
	title: string;
	summary: string;
	bodyMarkdown: string;
	bodyHtml: string;
	status: ArticleStatus;
	publishedAt: number | null;
	updatedAt: number;
	createdAt: number;
	version: number;
	deletedAt: number | null;
	region: Taxon | null;
	topic: Taxon | null;
	retiredSlugs: string[];
};

export type SaveResult = { article: AdminArticle; purge: PurgeReport };

export type ArticleRevision = RevisionRow;

/** A save based on a version that is no longer the stored one: nothing was written. */
export class VersionConflict extends AppError {
	/** What is stored now. */
	readonly current: AdminArticle;

	constructor(current: AdminArticle, basedOn: number) {
		super(
			409,
			`Not saved: this article was saved by someone else after version ${basedOn}; it is at version ${current.version} now. Compare your changes with the current text, then save again from version ${current.version}.`,
		);
		this.current = current;
	}
}

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 400;
export const BODY_MAX = 100_000;
export const LIST_LIMIT_MAX = 100;
export const LIST_LIMIT_DEFAULT = 20;
export const SEARCH_MAX = 200;
const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/** The same renderer as a save: what a preview shows is what readers will get. */
export function previewMarkdown(markdown: string): string {
	return renderMarkdown(markdown);
}

// ---- reading ------------------------------------------------------------------------------------

function toAdminArticle(row: AdminArticleRow): AdminArticle {
	return {
		id: row.id,
		slug: row.slug,
		title: row.title,
		summary: row.summary,
		bodyMarkdown: row.bodyMarkdown,
		bodyHtml: row.bodyHtml,
		status: row.status,
		publishedAt: row.publishedAt,
		updatedAt: row.updatedAt,
		createdAt: row.createdAt,
		version: row.version,
		deletedAt: row.deletedAt,
		region: row.regionSlug !== null && row.regionName !== null ? { slug: row.regionSlug, name: row.regionName } : null,
		topic: row.topicSlug !== null && row.topicName !== null ? { slug: row.topicSlug, name: row.topicName } : null,
		retiredSlugs: retiredSlugsOf(row),
	};
}

/** Readers see it now: published, not in the trash, its time has come. */
export function isLive(article: Pick<AdminArticle, "status" | "deletedAt" | "publishedAt">, now: number): boolean {
	return (
		article.status === "published" &&
		article.deletedAt === null &&
		article.publishedAt !== null &&
		article.publishedAt <= now
	);
}

/** Published with a time still to come: the cron makes it appear then. */
export function isScheduled(article: Pick<AdminArticle, "status" | "deletedAt" | "publishedAt">, now: number): boolean {
	return (
		article.status === "published" &&
		article.deletedAt === null &&
		article.publishedAt !== null &&
		article.publishedAt > now
	);
}

function isId(id: number): boolean {
	return Number.isSafeInteger(id) && id > 0;
}

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

const LIST_STATUSES: readonly AdminListStatus[] = ["all", "draft", "published", "scheduled", "trash"];

/**
 * One page of articles, newest change first. Status "all" (the default) is everything but the
 * trash; "published" is what readers see now, "scheduled" what they will see later. Bad input
 * (an unknown status, topic or region, a cursor this site did not issue) is a 400 naming it.
 */
export async function listAdminArticles(
	db: Db,
	query: AdminListQuery,
	now: number,
): Promise<{ items: AdminArticle[]; nextCursor: string | null }> {
	const fields: Fields = {};
	const status = query.status ?? "all";
	if (!LIST_STATUSES.includes(status)) fields.status = `Must be one of ${LIST_STATUSES.join(", ")}.`;
	const q = query.q?.trim() ?? "";
	if (q.length > SEARCH_MAX) fields.q = `At most ${SEARCH_MAX} characters.`;
	const limit = query.limit ?? LIST_LIMIT_DEFAULT;
	if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX) {
		fields.limit = `Must be a whole number from 1 to ${LIST_LIMIT_MAX}.`;
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
		q: q || undefined,
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
	return { items, nextCursor: more ? encodeCursor({ publishedAt: last.updatedAt, id: last.id }) : null };
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

// ---- validation ---------------------------------------------------------------------------------

type Fields = Record<string, string>;

function text(max: number) {
	return z
		.string({ error: (issue) => (issue.code === "invalid_type" ? "Must be text." : undefined) })
		.check(
			z.trim(),
			z.minLength(1, "Required."),
			z.maxLength(max, { error: (issue) => `At most ${max} characters (this is ${String(issue.input).length}).` }),
		);
}

const bodySchema = z.string({ error: (issue) => (issue.code === "invalid_type" ? "Must be text." : undefined) }).check(
	z.overwrite((body) => body.replace(/\r\n?/g, "\n")),
	z.refine((body) => body.trim() !== "", "Required."),
	z.maxLength(BODY_MAX, {
		error: (issue) => `At most ${BODY_MAX.toLocaleString("en-US")} characters (this is ${String(issue.input).length}).`,
	}),
);

const slugSchema = z
	.string({ error: "Must be text." })
	.check(
		z.trim(),
		z.minLength(1, "Required: the article's address, e.g. rare-earth-prices-rise."),
		z.maxLength(SLUG_MAX_LENGTH, `At most ${SLUG_MAX_LENGTH} characters.`),
		z.regex(SLUG_PATTERN, "Use lowercase letters, digits and single hyphens only (e.g. rare-earth-prices-rise)."),
	);

const statusSchema = z.enum(articleStatuses, { error: `Must be "draft" or "published".` });

/** A topic or region: a slug, or "" / null for none. */
const taxonSchema = z.union([z.null(), z.string()], { error: "Must be a slug, or empty for none." });

export const VERSION_MESSAGE = "Must be the article's version number (a whole number from 1).";

/** A number, or digits (as a form sends it). */
const versionSchema = z.pipe(
	z.union([z.number(), z.string()], { error: VERSION_MESSAGE }),
	z.transform((input, ctx): number => {
		const version = typeof input === "number" ? input : /^\d{1,15}$/.test(input) ? Number(input) : 0;
		if (Number.isSafeInteger(version) && version >= 1) return version;
		ctx.issues.push({ code: "custom", message: VERSION_MESSAGE, input });
		return z.NEVER;
	}),
);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))?$/i;

/**
 * A date and time as milliseconds (UTC): ISO 8601 with Z or an offset, or without a zone (as a
 * datetime-local field sends it) read as UTC. Null when it is not a real moment (e.g. Feb 30).
 */
export function parseDateTime(input: string): number | null {
	const match = DATE_TIME.exec(input.trim());
	if (!match) return null;
	const [, y, mo, d, h, mi, s = "0", frac = "0", zone, zh = "0", zm = "0"] = match;
	const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
	const [year, month, day, hour, minute, second] = parts;
	const ms = Number(frac.padEnd(3, "0").slice(0, 3));
	const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	const check = new Date(local);
	// Date.UTC rolls Feb 30 over into March: a moment that does not round-trip did not exist.
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day ||
		check.getUTCHours() !== hour ||
		check.getUTCMinutes() !== minute ||
		check.getUTCSeconds() !== second
	) {
		return null;
	}
	if (Number(zh) > 23 || Number(zm) > 59) return null;
	const offsetMinutes =
		zone && zone.toUpperCase() !== "Z" ? (zone.startsWith("-") ? -1 : 1) * (Number(zh) * 60 + Number(zm)) : 0;
	return local - offsetMinutes * 60_000;
}

const publishedAtSchema = z.union([z.null(), z.string()], {
	error: "Must be a date and time, e.g. 2025-09-17T14:33:00Z, or empty.",
});

/** The draft's fields, checked one by one; only the fields it has (undefined = left out). */
type Parsed = {
	title?: string;
	summary?: string;
	bodyMarkdown?: string;
	slug?: string;
	region?: string | null;
	topic?: string | null;
	status?: ArticleStatus;
	/** null: "now, or as stored" (see ArticleDraft.publishedAt). */
	publishedAt?: number | null;
	version?: number;
};

function firstMessage(result: { success: false; error: { issues: { message: string }[] } }): string {
	return result.error.issues[0]?.message ?? "Not valid.";
}

function parseDraft(draft: ArticleDraft, fields: Fields): Parsed {
	const parsed: Parsed = {};
	const check = <T>(key: keyof ArticleDraft, schema: z.ZodMiniType<T>, keep: (value: T) => void) => {
		const value = draft[key];
		if (value === undefined) return;
		const result = schema.safeParse(value);
		if (result.success) keep(result.data);
		else fields[key] = firstMessage(result);
	};
	check("title", text(TITLE_MAX), (v) => {
		parsed.title = v;
	});
	check("summary", text(SUMMARY_MAX), (v) => {
		parsed.summary = v;
	});
	check("bodyMarkdown", bodySchema, (v) => {
		parsed.bodyMarkdown = v;
	});
	check("slug", slugSchema, (v) => {
		parsed.slug = v;
	});
	check("status", statusSchema, (v) => {
		parsed.status = v;
	});
	for (const kind of ["region", "topic"] as const) {
		check(kind, taxonSchema, (v) => {
			const slug = v?.trim() ?? "";
			if (slug === "") parsed[kind] = null;
			else if (isSlug(slug)) parsed[kind] = slug;
			else fields[kind] = `There is no ${kind} "${slug}".`;
		});
	}
	check("publishedAt", publishedAtSchema, (v) => {
		if (v === null || v.trim() === "") {
			parsed.publishedAt = null;
			return;
		}
		const at = parseDateTime(v);
		const year = at === null ? Number.NaN : new Date(at).getUTCFullYear();
		if (at === null) {
			fields.publishedAt = "Not a date and time: use e.g. 2025-09-17T14:33:00Z, or 2025-09-17T14:33 for UTC.";
		} else if (year < YEAR_MIN || year > YEAR_MAX) {
			fields.publishedAt = `The year must be from ${YEAR_MIN} to ${YEAR_MAX}.`;
		} else {
			parsed.publishedAt = at;
		}
	});
	check("version", versionSchema, (v) => {
		parsed.version = v;
	});
	return parsed;
}

function invalid(fields: Fields): AppError {
	return badRequest("Some fields are not valid.", fields);
}

/** When a published article appears; see ArticleDraft.publishedAt. */
function resolvePublishedAt(
	status: ArticleStatus,
	given: number | null | undefined,
	stored: number | null,
	now: number,
): number | null {
	if (typeof given === "number") return given;
	if (status === "draft") return given === null ? null : stored;
	if (given === undefined) return stored ?? now;
	return stored !== null && stored <= now ? stored : now;
}

type TaxonIds = { region: number | null | undefined; topic: number | null | undefined };

/** The ids of the region and topic the draft names (undefined: left out); unknown ones go in `fields`. */
async function resolveTaxa(db: Db, parsed: Parsed, fields: Fields): Promise<TaxonIds> {
	const { region, topic } = parsed;
	// Left out stays left out (undefined); "none" (null) needs no lookup.
	const none = (slug: string | null | undefined) => (slug === undefined ? undefined : null);
	if (!region && !topic) return { region: none(region), topic: none(topic) };
	// Both in one round trip; a lookup of "" finds nothing and costs an index probe.
	const [regions, topics] = await db.batch([
		findTaxonId(db, "region", region ?? ""),
		findTaxonId(db, "topic", topic ?? ""),
	]);
	const idOf = (kind: TaxonKind, slug: string | null | undefined, rows: { id: number }[]) => {
		if (!slug) return none(slug);
		const id = rows[0]?.id;
		if (id === undefined) fields[kind] = `There is no ${kind} "${slug}".`;
		return id ?? null;
	};
	return { region: idOf("region", region, regions), topic: idOf("topic", topic, topics) };
}

const reservedMessage = (slug: string) => `"${slug}" is kept free for the site's own addresses; choose another slug.`;

/** 400 for a slug no article may have; 409 when another article has it, or had it. */
async function assertSlugAvailable(db: Db, slug: string, exceptId: number | null): Promise<void> {
	if (isReservedArticleSlug(slug)) throw invalid({ slug: reservedMessage(slug) });
	const holders = await findSlugHolders(db, slug, exceptId);
	const holder = holders[0];
	if (holder) throw slugTaken(slug, holder);
}

function slugTaken(slug: string, holder: { id: number; title: string; retired: number }): AppError {
	const message = holder.retired
		? `The slug "${slug}" used to be the address of another article, "${holder.title}" (id ${holder.id}), and still redirects there. Choose another slug.`
		: `The slug "${slug}" is already the address of another article, "${holder.title}" (id ${holder.id}). Choose another slug.`;
	return new AppError(409, "That slug is taken.", { slug: message });
}

// ---- saving -------------------------------------------------------------------------------------

function factsOf(article: AdminArticle, now: number): ArticleFacts {
	return {
		slug: article.slug,
		topic: article.topic?.slug ?? null,
		region: article.region?.slug ?? null,
		live: isLive(article, now),
		publishedAt: article.publishedAt,
		retiredSlugs: article.retiredSlugs,
	};
}

function changeKind(before: AdminArticle, after: AdminArticle, now: number): ArticleChangeKind {
	const wasLive = isLive(before, now);
	const nowLive = isLive(after, now);
	if (wasLive !== nowLive) return nowLive ? "publish" : "unpublish";
	if (before.slug !== after.slug) return "slug-change";
	if (before.title !== after.title) return "retitle";
	return "update";
}

/** The fields a save changed, for the audit log. */
function changedFields(loaded: Loaded, values: ArticleValues): string[] {
	const before = loaded.article;
	const changed: [string, boolean][] = [
		["slug", values.slug !== before.slug],
		["title", values.title !== before.title],
		["summary", values.summary !== before.summary],
		["bodyMarkdown", values.bodyMarkdown !== before.bodyMarkdown],
		["region", values.regionId !== loaded.regionId],
		["topic", values.topicId !== loaded.topicId],
		["status", values.status !== before.status],
		["publishedAt", values.publishedAt !== before.publishedAt],
		["deletedAt", values.deletedAt !== before.deletedAt],
	];
	return changed.filter(([, differs]) => differs).map(([name]) => name);
}

function author(ctx: ActionContext): RevisionAuthor {
	return { editorId: ctx.editor.id, editorName: ctx.editor.name, createdAt: ctx.now };
}

function audit(ctx: ActionContext, action: string, detail: Record<string, unknown>): Omit<AuditInput, "subject"> {
	return { actor: { id: ctx.editor.id, email: ctx.editor.email }, action, detail, at: ctx.now };
}

/** The stored article as a save starts from, with whether its slugs may be out in the world. */
type Loaded = { article: AdminArticle; regionId: number | null; topicId: number | null; everPublished: boolean };

async function load(db: Db, id: number): Promise<Loaded> {
	if (!isId(id)) throw notFound("There is no article with this id.");
	const [rows, published] = await db.batch([findAdminArticle(db, id), publishedRevisionExists(db, id)]);
	const row = rows[0];
	if (!row) throw notFound("There is no article with this id.");
	const article = toAdminArticle(row);
	return {
		article,
		regionId: row.regionId,
		topicId: row.topicId,
		everPublished: article.status === "published" || published.length > 0,
	};
}

/** D1's text for a constraint that refused a statement, wherever the error wraps it. */
function constraintMessage(err: unknown): string | null {
	for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
		if (/constraint failed/i.test(e.message)) return e.message;
	}
	return null;
}

/**
 * Runs a save's batch. The guards make a lost race write nothing; a constraint can still refuse
 * a statement when a concurrent change slipped past the checks made before (a slug taken, a
 * topic deleted), which rolls the whole batch back: answered as the refusal it is, not a 503.
 */
async function runSave<T>(save: () => Promise<T>, slug: string): Promise<T> {
	try {
		return await save();
	} catch (err) {
		const message = constraintMessage(err);
		if (message?.includes("articles.slug") || message?.includes("slug_redirects.slug")) {
			throw new AppError(409, "That slug is taken.", {
				slug: `The slug "${slug}" was just taken by another article. Choose another slug.`,
			});
		}
		if (message && /FOREIGN KEY/i.test(message)) {
			throw invalid({
				region: "The region or topic was just deleted; choose again.",
				topic: "The region or topic was just deleted; choose again.",
			});
		}
		throw err;
	}
}

type SaveSpec = {
	/** The audit action, e.g. "article.update". */
	action: string;
	/** Extra audit detail. */
	detail?: Record<string, unknown>;
	/** The purge kind when it is not derived from the change (trash, restore). */
	kind?: ArticleChangeKind;
};

/**
 * Saves the next state of an existing article, based on `baseVersion`, in one batch: audit entry,
 * slug redirects, revision and the UPDATE, each guarded (see guardWhere). Then purges.
 */
async function commit(
	c: Context<AppEnv>,
	ctx: ActionContext,
	loaded: Loaded,
	baseVersion: number,
	values: ArticleValues,
	spec: SaveSpec,
): Promise<SaveResult> {
	const { db } = ctx;
	const before = loaded.article;
	if (baseVersion !== before.version) throw new VersionConflict(before, baseVersion);
	const slugChanged = values.slug !== before.slug;
	if (slugChanged) await assertSlugAvailable(db, values.slug, before.id);

	const guard: SaveGuard = { id: before.id, version: baseVersion, slug: slugChanged ? values.slug : undefined };
	const where = guardWhere(guard);
	const toVersion = baseVersion + 1;
	const detail = {
		title: values.title,
		slug: values.slug,
		fromVersion: baseVersion,
		toVersion,
		changed: changedFields(loaded, values),
		...(slugChanged ? { previousSlug: before.slug } : {}),
		...spec.detail,
	};
	const entry = auditInsertWhere(db, audit(ctx, spec.action, detail), where);
	const writes = [
		// Back to one of its own earlier slugs: that one is its address again, not a redirect.
		...(slugChanged && before.retiredSlugs.includes(values.slug) ? [unretireSlugGuarded(db, guard, values.slug)] : []),
		// A draft that was never published has no old address anyone could know.
		...(slugChanged && loaded.everPublished ? [retireSlugGuarded(db, guard, before.slug, ctx.now)] : []),
		insertRevisionWhere(
			db,
			{
				version: toVersion,
				slug: values.slug,
				title: values.title,
				summary: values.summary,
				bodyMarkdown: values.bodyMarkdown,
				regionId: values.regionId,
				topicId: values.topicId,
				status: values.status,
				publishedAt: values.publishedAt,
				deletedAt: values.deletedAt,
			},
			author(ctx),
			where,
		),
	];
	const results = await runSave(
		() => db.batch([entry, ...writes, updateArticleGuarded(db, guard, values), findAdminArticle(db, before.id)]),
		values.slug,
	);
	const updated = results.at(-2) as { id: number }[];
	const after = (results.at(-1) as AdminArticleRow[])[0];

	if (updated.length === 0 || !after) {
		// Nothing was written. Say why: gone, saved by someone else, or the slug taken meanwhile.
		const current = await getAdminArticle(db, before.id);
		if (!current) throw notFound("There is no article with this id.");
		if (current.version !== baseVersion) throw new VersionConflict(current, baseVersion);
		await assertSlugAvailable(db, values.slug, before.id);
		throw new AppError(409, "The article could not be saved; please try again.");
	}
	const article = toAdminArticle(after);
	const change: ContentChange = {
		kind: spec.kind ?? changeKind(before, article, ctx.now),
		before: factsOf(before, ctx.now),
		after: factsOf(article, ctx.now),
	};
	return { article, purge: await purgeChanges(c, [change]) };
}

function valuesOf(loaded: Loaded, now: number): ArticleValues {
	const a = loaded.article;
	return {
		slug: a.slug,
		title: a.title,
		summary: a.summary,
		bodyMarkdown: a.bodyMarkdown,
		bodyHtml: a.bodyHtml,
		regionId: loaded.regionId,
		topicId: loaded.topicId,
		status: a.status,
		publishedAt: a.publishedAt,
		deletedAt: a.deletedAt,
		updatedAt: now,
	};
}

export async function createArticle(c: Context<AppEnv>, draft: ArticleDraft): Promise<SaveResult> {
	const ctx = actionContext(c);
	const { db } = ctx;
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
	if (slug && isReservedArticleSlug(slug)) fields.slug = reservedMessage(slug);
	const taxa = await resolveTaxa(db, parsed, fields);
	const { title, summary, bodyMarkdown } = parsed;
	if (Object.keys(fields).length > 0 || !title || !summary || !bodyMarkdown || !slug) throw invalid(fields);
	await assertSlugAvailable(db, slug, null);

	const status = parsed.status ?? "draft";
	const values = {
		slug,
		title,
		summary,
		bodyMarkdown,
		bodyHtml: renderMarkdown(bodyMarkdown),
		regionId: taxa.region ?? null,
		topicId: taxa.topic ?? null,
		status,
		publishedAt: resolvePublishedAt(status, parsed.publishedAt, null, ctx.now),
		deletedAt: null,
		updatedAt: ctx.now,
		createdAt: ctx.now,
	};
	const created = { slug, createdAt: ctx.now };
	// Only the batch knows the new id: the audit entry and version 1 are copied from the new row.
	const [inserted, , , rows] = await runSave(
		() =>
			db.batch([
				insertArticleIfSlugFree(db, values),
				// Before version 1 is written: the new row is found by having no history yet.
				auditInsertWhere(
					db,
					audit(ctx, "article.create", { title, slug, status, toVersion: 1 }),
					newArticleWhere(created),
				),
				insertFirstRevision(db, created, author(ctx)),
				findAdminArticleBySlug(db, slug),
			]),
		slug,
	);
	const row = rows[0];
	if (inserted.length === 0 || !row) {
		// The slug became another article's retired one after the check above.
		await assertSlugAvailable(db, slug, null);
		throw new AppError(409, "The article could not be saved; please try again.");
	}
	const article = toAdminArticle(row);
	const kind = isLive(article, ctx.now) ? "publish" : "update";
	return { article, purge: await purgeChanges(c, [{ kind, before: null, after: factsOf(article, ctx.now) }]) };
}

/** A partial edit: the fields left out keep their stored values; `version` is required. */
export async function updateArticle(c: Context<AppEnv>, id: number, draft: ArticleDraft): Promise<SaveResult> {
	const ctx = actionContext(c);
	const { db, now } = ctx;
	const loaded = await load(db, id);
	const fields: Fields = {};
	const parsed = parseDraft(draft, fields);
	if (draft.version === undefined || draft.version === null || draft.version === "") {
		fields.version = "Required: the version this edit is based on (the article's version when you loaded it).";
	}
	const before = loaded.article;
	if (parsed.slug !== undefined && parsed.slug !== before.slug && isReservedArticleSlug(parsed.slug)) {
		fields.slug = reservedMessage(parsed.slug);
	}
	const taxa = await resolveTaxa(db, parsed, fields);
	if (Object.keys(fields).length > 0 || parsed.version === undefined) throw invalid(fields);

	const values = valuesOf(loaded, now);
	values.slug = parsed.slug ?? values.slug;
	values.title = parsed.title ?? values.title;
	values.summary = parsed.summary ?? values.summary;
	values.bodyMarkdown = parsed.bodyMarkdown ?? values.bodyMarkdown;
	values.bodyHtml = renderMarkdown(values.bodyMarkdown);
	if (taxa.region !== undefined) values.regionId = taxa.region;
	if (taxa.topic !== undefined) values.topicId = taxa.topic;
	values.status = parsed.status ?? values.status;
	values.publishedAt = resolvePublishedAt(values.status, parsed.publishedAt, before.publishedAt, now);

	const action =
		before.status === values.status
			? "article.update"
			: values.status === "published"
				? "article.publish"
				: "article.unpublish";
	return commit(c, ctx, loaded, parsed.version, values, { action });
}

/** An explicit version, or (left out) the stored one: the caller takes whatever is current. */
function baseVersionOf(version: number | undefined, loaded: Loaded): number {
	if (version === undefined) return loaded.article.version;
	if (!isId(version)) throw invalid({ version: VERSION_MESSAGE });
	return version;
}

/** To the trash: readers get a 404 at once; restoreArticle brings it back. */
export async function trashArticle(c: Context<AppEnv>, id: number, version?: number): Promise<SaveResult> {
	const ctx = actionContext(c);
	const { db, now } = ctx;
	const loaded = await load(db, id);
	const base = baseVersionOf(version, loaded);
	if (loaded.article.deletedAt !== null) {
		if (base !== loaded.article.version) throw new VersionConflict(loaded.article, base);
		throw new AppError(409, "This article is already in the trash.");
	}
	const values = { ...valuesOf(loaded, now), deletedAt: now };
	return commit(c, ctx, loaded, base, values, { action: "article.trash", kind: "delete" });
}

export async function restoreArticle(c: Context<AppEnv>, id: number, version?: number): Promise<SaveResult> {
	const ctx = actionContext(c);
	const { db, now } = ctx;
	const loaded = await load(db, id);
	const base = baseVersionOf(version, loaded);
	if (loaded.article.deletedAt === null) {
		if (base !== loaded.article.version) throw new VersionConflict(loaded.article, base);
		throw new AppError(409, "This article is not in the trash.");
	}
	const values = { ...valuesOf(loaded, now), deletedAt: null };
	return commit(c, ctx, loaded, base, values, { action: "article.restore", kind: "restore" });
}

/**
 * Deletes an article in the trash for good, with its revisions and redirects (admins only). The
 * audit entry stays, naming what was deleted.
 */
export async function destroyArticle(
	c: Context<AppEnv>,
	id: number,
): Promise<{ article: AdminArticle; purge: PurgeReport }> {
	const ctx = actionContext(c);
	const { db } = ctx;
	if (ctx.editor.role !== "admin") throw new AppError(403, "Only an admin can delete an article permanently.");
	const { article } = await load(db, id);
	if (article.deletedAt === null) {
		throw new AppError(409, "Only an article in the trash can be deleted permanently. Move it to the trash first.");
	}
	const entry = audit(ctx, "article.destroy", {
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
		const current = await getAdminArticle(db, article.id);
		if (!current) throw notFound("There is no article with this id.");
		throw new AppError(409, "This article was restored from the trash in the meantime; nothing was deleted.");
	}
	const purge = await purgeChanges(c, [{ kind: "delete", before: factsOf(article, ctx.now), after: null }]);
	return { article, purge };
}

/**
 * Saves an earlier revision's content (title, summary, body, slug, region, topic) as a new
 * version; whether the article is published, when, and whether it is in the trash stay as they are.
 */
export async function restoreRevision(
	c: Context<AppEnv>,
	id: number,
	version: number,
	baseVersion?: number,
): Promise<SaveResult> {
	const ctx = actionContext(c);
	const { db, now } = ctx;
	const loaded = await load(db, id);
	const revision = await getRevision(db, loaded.article.id, version);
	if (!revision) throw notFound("This article has no such revision.");
	const base = baseVersionOf(baseVersion, loaded);
	const values: ArticleValues = {
		...valuesOf(loaded, now),
		slug: revision.slug,
		title: revision.title,
		summary: revision.summary,
		bodyMarkdown: revision.bodyMarkdown,
		bodyHtml: renderMarkdown(revision.bodyMarkdown),
		// A region or topic deleted since is gone from the article too (as its foreign key did).
		regionId: revision.region ? revision.regionId : null,
		topicId: revision.topic ? revision.topicId : null,
	};
	return commit(c, ctx, loaded, base, values, {
		action: "article.revert",
		detail: { restoredVersion: revision.version },
	});
}

// ---- manual purge -------------------------------------------------------------------------------

export const PURGE_SLUGS_MAX = 100;

/**
 * Purges what readers see of the given article slugs (their pages, and for a live article the
 * lists, feed and Related Articles that show it), or with `all` every cached copy of the site.
 */
export async function purgeContent(
	c: Context<AppEnv>,
	request: { slugs?: unknown; all?: unknown },
): Promise<PurgeReport> {
	const fields: Fields = {};
	const { slugs, all } = request;
	if (all !== undefined && all !== true && all !== false) fields.all = "Must be true, or left out.";
	let list: string[] = [];
	if (slugs !== undefined) {
		if (!Array.isArray(slugs) || slugs.some((slug) => typeof slug !== "string")) {
			fields.slugs = "Must be a list of article slugs.";
		} else if (slugs.length > PURGE_SLUGS_MAX) {
			fields.slugs = `At most ${PURGE_SLUGS_MAX} slugs at a time (this is ${slugs.length}); purge everything instead.`;
		} else {
			list = [...new Set(slugs.map((slug: string) => slug.trim()))];
			const bad = list.filter((slug) => !isSlug(slug));
			if (bad.length > 0) fields.slugs = `Not slugs: ${bad.map((slug) => JSON.stringify(slug)).join(", ")}.`;
		}
	}
	if (Object.keys(fields).length === 0 && all !== true && list.length === 0) {
		fields.slugs = "Name at least one article slug, or send all: true.";
	}
	if (Object.keys(fields).length > 0) throw invalid(fields);
	if (all === true) {
		const ctx = c.executionCtx as ExecutionContext;
		return applyPurge({ keys: [], tags: [], everything: true }, c.env, ctx);
	}

	const now = Date.now();
	const rows = await c.var.db.batch(
		list.map((slug) => findAdminArticleBySlug(c.var.db, slug)) as [
			ReturnType<typeof findAdminArticleBySlug>,
			...ReturnType<typeof findAdminArticleBySlug>[],
		],
	);
	const plans = list.map((slug, i) => {
		const row = (rows[i] as AdminArticleRow[])[0];
		// A slug no article has may still have a cached 404 or 301: its own page is purged.
		const facts: ArticleFacts = row
			? factsOf(toAdminArticle(row), now)
			: { slug, topic: null, region: null, live: false, publishedAt: null };
		return planPurge(c.var.siteUrl, { kind: "update", before: facts, after: facts });
	});
	return applyPurge(mergePlans(plans), c.env, c.executionCtx as ExecutionContext);
}
