import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import {
	type AdminArticle,
	type AdminArticleRow,
	type ArticleValues,
	articleValuesOf,
	auditInsertWhere,
	clearArticleMediaWhere,
	clearBylineGuarded,
	findAdminArticle,
	findAdminArticleBySlug,
	findSlugHolders,
	guardWhere,
	insertArticleIfSlugFree,
	insertArticleMediaWhere,
	insertBylineWhere,
	insertCorrectionWhere,
	newArticleWhere,
	retireSlugGuarded,
	type SaveGuard,
	toAdminArticle,
	unretireSlugGuarded,
	updateArticleGuarded,
} from "../../db/queries/article-writes";
import type { AuditInput } from "../../db/queries/audit";
import {
	insertBaseRevisionIfMissing,
	insertFirstRevision,
	insertRevisionWhere,
	publishedRevisionExists,
	type RevisionAuthor,
} from "../../db/queries/revisions";
import { AppError, notFound } from "../../lib/errors";
import { embeddedMediaIds } from "../../lib/images";
import { isReservedArticleSlug } from "../../lib/slugs";
import { invalid, isId } from "../validation";
import { type Byline, reservedSlugMessage } from "./article-input";
import { factsOf } from "./article-state";
import { constraintMessage } from "./constraints";
import type { Deps } from "./deps";
import { purgeChanges } from "./purge";

// How a change to an article is written: the article, its revision, its audit entry and its slug
// redirects in one guarded db.batch (see the statements in db/queries/article-writes.ts), then the
// purge of what readers see. The rules of each action (what it changes) are in ./articles.ts.

/**
 * The article after an action, and what the purge did. `purge` is null only for an edit that
 * changed nothing: then nothing was written, and there was nothing to purge.
 */
export type SaveResult = { article: AdminArticle; purge: PurgeReport | null };

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

/** The stored article a change starts from, and whether its slugs may be out in the world. */
export type Loaded = { article: AdminArticle; row: AdminArticleRow; everPublished: boolean };

export async function loadArticle(db: Db, id: number): Promise<Loaded> {
	if (!isId(id)) throw notFound("There is no article with this id.");
	const [rows, published] = await db.batch([findAdminArticle(db, id), publishedRevisionExists(db, id)]);
	const row = rows[0];
	if (!row) throw notFound("There is no article with this id.");
	const article = toAdminArticle(row);
	return { article, row, everPublished: article.status === "published" || published.length > 0 };
}

/** 400 for a slug no article may have; 409 when another article has it, or had it. */
export async function assertSlugAvailable(db: Db, slug: string, exceptId: number | null): Promise<void> {
	if (isReservedArticleSlug(slug)) throw invalid({ slug: reservedSlugMessage(slug) });
	const [holder] = await findSlugHolders(db, slug, exceptId);
	if (!holder) return;
	const message = holder.retired
		? `The slug "${slug}" used to be the address of another article, "${holder.title}" (id ${holder.id}), and still redirects there. Choose another slug.`
		: `The slug "${slug}" is already the address of another article, "${holder.title}" (id ${holder.id}). Choose another slug.`;
	throw new AppError(409, "That slug is taken.", { slug: message });
}

/** The columns the audit log names when a save changes them, under the names editors know. */
const AUDITED: [keyof ArticleValues, string][] = [
	["slug", "slug"],
	["title", "title"],
	["summary", "summary"],
	["bodyMarkdown", "bodyMarkdown"],
	["regionId", "region"],
	["topicId", "topic"],
	["status", "status"],
	["publishedAt", "publishedAt"],
	["deletedAt", "deletedAt"],
	["leadImageId", "leadImage"],
];

/** Whether a byline is the article's stored one, in the same order. */
export function sameByline(article: AdminArticle, byline: Byline): boolean {
	return article.authors.map((a) => a.slug).join(" ") === byline.slugs.join(" ");
}

/** The names of the fields that differ (none: a save of these values would change nothing). */
export function changedFields(before: ArticleValues, after: ArticleValues): string[] {
	return AUDITED.filter(([column]) => before[column] !== after[column]).map(([, name]) => name);
}

function author(deps: Deps): RevisionAuthor {
	return { editorId: deps.editor.id, editorName: deps.editor.name, createdAt: deps.now };
}

export function auditEntry(deps: Deps, action: string, detail: Record<string, unknown>): Omit<AuditInput, "subject"> {
	return { actor: { id: deps.editor.id, email: deps.editor.email }, action, detail, at: deps.now };
}

/** The library pictures an article's values use: its lead image and those its body embeds. */
export function picturesOf(values: Pick<ArticleValues, "leadImageId" | "bodyMarkdown">): string[] {
	const ids = embeddedMediaIds(values.bodyMarkdown);
	return values.leadImageId && !ids.includes(values.leadImageId) ? [values.leadImageId, ...ids] : ids;
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
				leadImage: "The lead image may just have been deleted from the library; choose again.",
			});
		}
		throw err;
	}
}

/** Writes a new article as version 1, with its byline, revision and audit entry, in one batch; then purges. */
export async function saveNewArticle(
	deps: Deps,
	values: ArticleValues & { createdAt: number },
	byline: Byline,
): Promise<SaveResult> {
	const { db } = deps;
	const { slug, title, status } = values;
	await assertSlugAvailable(db, slug, null);
	const created = { slug, createdAt: values.createdAt };
	// Only the batch knows the new id: the audit entry, byline and version 1 are copied from the new row.
	const [inserted, , , , , rows] = await runSave(
		() =>
			db.batch([
				insertArticleIfSlugFree(db, values),
				// Before version 1 is written: the new row is found by having no history yet.
				auditInsertWhere(
					db,
					auditEntry(deps, "article.create", {
						title,
						slug,
						status,
						toVersion: 1,
						...(byline.slugs.length > 0 ? { authors: byline.slugs } : {}),
					}),
					newArticleWhere(created),
				),
				insertBylineWhere(db, byline.ids, newArticleWhere(created)),
				insertArticleMediaWhere(db, picturesOf(values), newArticleWhere(created)),
				insertFirstRevision(db, created, author(deps)),
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
	return {
		article,
		purge: await purgeChanges(deps, [{ kind: "article", before: null, after: factsOf(article, deps.now) }]),
	};
}

export type SaveSpec = {
	/** The audit action, e.g. "article.update". */
	action: string;
	/** More audit detail. */
	detail?: Record<string, unknown>;
	/** A public correction note this save records (the article must be live before and after). */
	correction?: string;
	/** A new byline (left out: it stays as it is). */
	byline?: Byline;
};

/**
 * Saves the next state of a loaded article, based on `baseVersion`, in one batch of statements
 * that each hold only while the article is still at that version (and the new slug still free):
 * all of the save is written, or none of it. Then purges.
 */
export async function saveArticleChange(
	deps: Deps,
	loaded: Loaded,
	baseVersion: number,
	values: ArticleValues,
	spec: SaveSpec,
): Promise<SaveResult> {
	const { db, now } = deps;
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
		changed: [
			...changedFields(articleValuesOf(loaded.row, now), values),
			...(spec.byline && !sameByline(before, spec.byline) ? ["authors"] : []),
		],
		...(spec.byline && !sameByline(before, spec.byline)
			? { authors: { from: before.authors.map((a) => a.slug), to: spec.byline.slugs } }
			: {}),
		...(slugChanged ? { previousSlug: before.slug } : {}),
		...(spec.correction ? { correction: spec.correction } : {}),
		...spec.detail,
	};
	const entry = auditInsertWhere(db, auditEntry(deps, spec.action, detail), where);
	const writes = [
		// Back to one of its own earlier slugs: that one is its address again, not a redirect.
		...(slugChanged && before.retiredSlugs.includes(values.slug) ? [unretireSlugGuarded(db, guard, values.slug)] : []),
		// A draft that was never published has no old address anyone could know.
		...(slugChanged && loaded.everPublished ? [retireSlugGuarded(db, guard, before.slug, now)] : []),
		// The version this save starts from, when it has no revision (sample content, imports).
		insertBaseRevisionIfMissing(db, where),
		insertRevisionWhere(db, { ...values, version: toVersion }, author(deps), where),
		// The byline is replaced whole: cleared, then written in its new order.
		...(spec.byline ? [clearBylineGuarded(db, guard), insertBylineWhere(db, spec.byline.ids, where)] : []),
		// Which pictures it uses, rewritten with every save (a picture in use cannot be deleted).
		clearArticleMediaWhere(db, before.id, where),
		insertArticleMediaWhere(db, picturesOf(values), where),
		...(spec.correction
			? [
					insertCorrectionWhere(
						db,
						{ note: spec.correction, at: now, version: toVersion, editorId: deps.editor.id },
						where,
					),
				]
			: []),
	];
	const results = await runSave(
		// The UPDATE last: every statement before it sees the guard hold, or fail, alike.
		() => db.batch([entry, ...writes, updateArticleGuarded(db, guard, values), findAdminArticle(db, before.id)]),
		values.slug,
	);
	const updated = results.at(-2) as { id: number }[];
	const after = (results.at(-1) as AdminArticleRow[])[0];

	if (updated.length === 0 || !after) {
		// Nothing was written. Say why: gone, saved by someone else, or the slug taken meanwhile.
		const [current] = await findAdminArticle(db, before.id);
		if (!current) throw notFound("There is no article with this id.");
		if (current.version !== baseVersion) throw new VersionConflict(toAdminArticle(current), baseVersion);
		await assertSlugAvailable(db, values.slug, before.id);
		throw new AppError(409, "The article could not be saved; please try again.");
	}
	const article = toAdminArticle(after);
	const change = { kind: "article" as const, before: factsOf(before, now), after: factsOf(article, now) };
	return { article, purge: await purgeChanges(deps, [change]) };
}
