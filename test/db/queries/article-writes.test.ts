import { env } from "cloudflare:workers";
import { count } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
	ADMIN_LIST_STATUSES,
	type AdminListArgs,
	type ArticleValues,
	articleValuesOf,
	auditInsertWhere,
	clearArticleMediaWhere,
	deleteTrashedArticle,
	findAdminArticle,
	findAdminArticleBySlug,
	findSlugHolders,
	guardWhere,
	insertArticleIfSlugFree,
	insertArticleMediaWhere,
	inTrashWhere,
	listAdminArticleRows,
	newArticleWhere,
	retireSlugGuarded,
	type SaveGuard,
	toAdminArticle,
	unretireSlugGuarded,
	updateArticleGuarded,
} from "../../../src/db/queries/article-writes";
import {
	findRevisionRow,
	insertFirstRevision,
	insertRevisionWhere,
	listRevisionRows,
	publishedRevisionExists,
} from "../../../src/db/queries/revisions";
import * as schema from "../../../src/db/schema";
import { createEditor } from "../../admin/helpers";
import { countingD1, DAY, freshTaxa, insertArticle, insertRedirect, type TestTaxa, testDb } from "../../helpers";

const db = testDb();
let taxa: TestTaxa;
let editor: schema.Editor;

beforeEach(async () => {
	taxa = await freshTaxa();
	editor = await createEditor();
});

const list = (args: Partial<AdminListArgs> = {}) =>
	listAdminArticleRows(db, { status: "all", after: null, limit: 20, now: Date.now(), ...args });

async function tableCounts() {
	const n = async (table: typeof schema.auditLog | typeof schema.articleRevisions | typeof schema.slugRedirects) =>
		(await db.select({ n: count() }).from(table))[0]?.n;
	return {
		audit: await n(schema.auditLog),
		revisions: await n(schema.articleRevisions),
		redirects: await n(schema.slugRedirects),
	};
}

const values = (article: schema.Article, over: Partial<schema.Article> = {}) =>
	articleValuesOf({ ...article, ...over }, Date.now());

/** Every statement of a save of `article` to `next`, as the service batches them. */
function saveStatements(guard: SaveGuard, article: schema.Article, next: ArticleValues) {
	const where = guardWhere(guard);
	const author = { editorId: editor.id, editorName: editor.name, createdAt: Date.now() };
	const entry = { actor: { id: editor.id, email: editor.email }, action: "article.update", at: Date.now(), detail: {} };
	return [
		auditInsertWhere(db, entry, where),
		retireSlugGuarded(db, guard, article.slug, Date.now()),
		unretireSlugGuarded(db, guard, next.slug),
		insertRevisionWhere(db, { ...next, version: guard.version + 1 }, author, where),
		updateArticleGuarded(db, guard, next),
	] as const;
}

describe("the guarded save", () => {
	it("writes everything when the article is at the version the save was based on", async () => {
		const article = await insertArticle({ slug: "before" });
		const next = values(article, { slug: "after", title: "After" });
		const results = await db.batch(saveStatements({ id: article.id, version: 1, slug: "after" }, article, next));
		expect(results.at(-1)).toEqual([{ id: article.id, version: 2 }]);
		expect(await tableCounts()).toMatchObject({ audit: 1, revisions: 1, redirects: 1 });
		const [audit] = await db.select().from(schema.auditLog);
		expect(audit?.subject).toBe(`article:${article.id}`);
		const [revision] = await listRevisionRows(db, article.id);
		expect(revision).toMatchObject({ version: 2, slug: "after", title: "After", editorName: editor.name });
		const [row] = await findAdminArticle(db, article.id);
		expect(row && toAdminArticle(row).retiredSlugs).toEqual(["before"]);
	});

	it("writes nothing at all when the version moved on inside D1 (a lost race)", async () => {
		const article = await insertArticle({ slug: "before" });
		// Someone else's save landed between this save's checks and its batch.
		await env.DB.prepare("UPDATE articles SET version = 2, title = 'Theirs' WHERE id = ?").bind(article.id).run();
		const next = values(article, { slug: "after", title: "Mine" });
		const results = await db.batch(saveStatements({ id: article.id, version: 1, slug: "after" }, article, next));
		expect(results.at(-1)).toEqual([]);
		expect(await tableCounts()).toEqual({ audit: 0, revisions: 0, redirects: 0 });
		const [row] = await findAdminArticle(db, article.id);
		expect(row).toMatchObject({ slug: "before", title: "Theirs", version: 2 });
	});

	it("writes nothing when the new slug was taken inside D1, as a slug or a retired one", async () => {
		const article = await insertArticle({ slug: "mine" });
		const other = await insertArticle({ slug: "theirs" });
		await insertRedirect("their-old-name", other.id);
		for (const slug of ["theirs", "their-old-name"]) {
			const next = values(article, { slug });
			const results = await db.batch(saveStatements({ id: article.id, version: 1, slug }, article, next));
			expect(results.at(-1), slug).toEqual([]);
			expect(await tableCounts(), slug).toEqual({ audit: 0, revisions: 0, redirects: 1 });
		}
	});

	it("inserts a new article with version 1 and its audit entry, unless its slug is taken", async () => {
		const other = await insertArticle({ slug: "other" });
		await insertRedirect("retired", other.id);
		const now = Date.now();
		const author = { editorId: editor.id, editorName: editor.name, createdAt: now };
		const entry = { actor: { id: editor.id, email: editor.email }, action: "article.create", at: now, detail: {} };
		const create = (slug: string) =>
			db.batch([
				insertArticleIfSlugFree(db, { ...values(other, { slug }), status: "draft", createdAt: now }),
				auditInsertWhere(db, entry, newArticleWhere({ slug, createdAt: now })),
				insertFirstRevision(db, { slug, createdAt: now }, author),
			]);

		const [refused] = await create("retired");
		expect(refused).toEqual([]);
		expect(await tableCounts()).toMatchObject({ audit: 0, revisions: 0 });

		const [inserted] = await create("fresh");
		expect(inserted).toHaveLength(1);
		const id = inserted[0]?.id;
		expect(await tableCounts()).toMatchObject({ audit: 1, revisions: 1 });
		expect((await db.select().from(schema.auditLog))[0]?.subject).toBe(`article:${id}`);
		expect((await listRevisionRows(db, id ?? 0))[0]).toMatchObject({ version: 1, slug: "fresh", editorId: editor.id });

		// An existing article's slug: nothing is inserted, and nothing is copied from that article.
		const [again] = await create("fresh");
		expect(again).toEqual([]);
		expect(await tableCounts()).toMatchObject({ audit: 1, revisions: 1 });
	});

	it("deletes only from the trash, and D1's foreign keys take the revisions and redirects along", async () => {
		const article = await insertArticle({ slug: "gone" });
		await db.batch(
			saveStatements({ id: article.id, version: 1, slug: "gone-2" }, article, values(article, { slug: "gone-2" })),
		);
		expect(await deleteTrashedArticle(db, article.id)).toEqual([]);
		await env.DB.prepare("UPDATE articles SET deleted_at = 1 WHERE id = ?").bind(article.id).run();
		expect(await deleteTrashedArticle(db, article.id)).toEqual([{ id: article.id }]);
		expect(await tableCounts()).toMatchObject({ revisions: 0, redirects: 0, audit: 1 });
	});
});

describe("the admin list", () => {
	it("finds who holds a slug, as a current or a retired one", async () => {
		const holder = await insertArticle({ slug: "held", title: "Holder" });
		await insertRedirect("was-held", holder.id);
		expect(await findSlugHolders(db, "held", null)).toEqual([
			{ id: holder.id, title: "Holder", slug: "held", retired: 0 },
		]);
		expect(await findSlugHolders(db, "was-held", null)).toEqual([
			{ id: holder.id, title: "Holder", slug: "held", retired: 1 },
		]);
		expect(await findSlugHolders(db, "held", holder.id)).toEqual([]);
		expect(await findSlugHolders(db, "free", null)).toEqual([]);
	});

	it("keeps a page's rows in (updated_at, id) order and continues after a cursor", async () => {
		const at = Date.now() - DAY;
		const a = await insertArticle({ updatedAt: at });
		const b = await insertArticle({ updatedAt: at });
		const c = await insertArticle({ updatedAt: at + 1 });
		expect((await list()).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
		expect((await list({ after: { updatedAt: at, id: b.id } })).map((r) => r.id)).toEqual([a.id]);
		expect((await list({ topicSlug: "energy" })).map((r) => r.id)).toEqual([]);
		await insertArticle({ topicId: taxa.topic.energy, updatedAt: at - 1 });
		expect(await list({ topicSlug: "energy" })).toHaveLength(1);
	});

	// The admin's lists must be served by an index, never a scan of the table or a sort of it.
	async function planOf(args: Partial<AdminListArgs>) {
		const recorder = countingD1(env.DB);
		await listAdminArticleRows(testDb(recorder.db), {
			status: "all",
			after: null,
			limit: 20,
			now: Date.now(),
			...args,
		});
		const [query] = recorder.queries;
		if (!query) throw new Error("no query sent");
		return explain(query);
	}

	// Every status filter, on the first page and a later one.
	const listIndex = { all: "articles_updated_idx", trash: "articles_updated_idx" } as Record<string, string>;
	it.each(
		ADMIN_LIST_STATUSES.flatMap((status) =>
			[null, { updatedAt: Date.now(), id: 9 }].map(
				(after) =>
					[
						`${status}${after ? ", a later page" : ""}`,
						listIndex[status] ?? "articles_admin_status_idx",
						{ status, after },
					] as const,
			),
		),
	)("%s walks %s in order, without a sort", async (_name, index, args) => {
		const plan = await planOf(args);
		expect(plan).toContain(`USING INDEX ${index}`);
		expect(plan).not.toMatch(/TEMP B-TREE|SCAN articles(?! USING)/);
	});

	// A search is driven by its matches: articles reached by id alone, only the matches sorted.
	it.each(
		ADMIN_LIST_STATUSES.flatMap((status) =>
			[null, { updatedAt: Date.now(), id: 9 }].map(
				(after) =>
					[`${status}, a search${after ? ", a later page" : ""}`, { status, after, match: '"magnets"' }] as const,
			),
		),
	)("%s reaches articles by id, from the search index's matches", async (_name, args) => {
		const plan = await planOf(args);
		expect(plan).toMatch(/SCAN articles_fts VIRTUAL TABLE INDEX \d+:M/);
		const reads = plan.split("\n").filter((line) => /^(SCAN|SEARCH) articles\b(?!_fts)/.test(line));
		expect(reads.length).toBeGreaterThan(0);
		for (const line of reads) expect(line).toBe("SEARCH articles USING INTEGER PRIMARY KEY (rowid=?)");
	});

	it.each([
		["a topic", { topicSlug: "energy" }],
		["a region, published", { regionSlug: "china", status: "published" as const }],
	])("%s uses an index, never a table scan", async (_name, args) => {
		const plan = await planOf(args);
		expect(plan).toMatch(/USING (COVERING )?INDEX articles_/);
		expect(plan).not.toMatch(/SCAN articles(?! USING)/);
	});
});

async function explain(query: { sql: string; params: unknown[] }): Promise<string> {
	const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
		.bind(...query.params)
		.all<{ detail: string }>();
	return results.map((r) => r.detail).join("\n");
}

describe("the statements of a save", () => {
	// Each runs inside the batch that saves an article, once per save: every table it reads must
	// be reached by a key (the article's id, a slug, an article's revisions or redirects), never scanned.
	const now = Date.now();
	const guard: SaveGuard = { id: 1, version: 3, slug: "new-slug" };
	const next: ArticleValues = {
		slug: "new-slug",
		title: "T",
		summary: "S",
		bodyMarkdown: "B",
		bodyHtml: "<p>B</p>",
		bodyText: "B",
		regionId: null,
		topicId: null,
		status: "published",
		publishedAt: now,
		deletedAt: null,
		updatedAt: now,
		leadImageId: null,
	};
	const entry = { actor: { id: 1, email: "e@samarium.test" }, action: "article.update", at: now, detail: {} };
	const author = { editorId: 1, editorName: "E", createdAt: now };
	const created = { slug: "new-slug", createdAt: now };
	const byId = "SEARCH articles USING INTEGER PRIMARY KEY (rowid=?)";
	const bySlug = /SEARCH (articles|other) USING (COVERING )?INDEX articles_slug_unique \(slug=\?\)/;
	const redirectBySlug = "SEARCH r USING INDEX sqlite_autoindex_slug_redirects_1 (slug=?)";

	it.each([
		["the audit entry", () => auditInsertWhere(db, entry, guardWhere(guard)), [byId, bySlug, redirectBySlug]],
		["the audit entry, same slug", () => auditInsertWhere(db, entry, guardWhere({ id: 1, version: 3 })), [byId]],
		["a slug retired", () => retireSlugGuarded(db, guard, "old-slug", now), [byId, bySlug, redirectBySlug]],
		["a slug taken back", () => unretireSlugGuarded(db, guard, "new-slug"), [byId, "slug_redirects_1 (slug=?)"]],
		[
			"the revision",
			() => insertRevisionWhere(db, { ...next, version: 4 }, author, guardWhere(guard)),
			[byId, bySlug, redirectBySlug],
		],
		["the update", () => updateArticleGuarded(db, guard, next), [byId, bySlug, redirectBySlug]],
		["the new article", () => insertArticleIfSlugFree(db, { ...next, createdAt: now }), [bySlug, redirectBySlug]],
		[
			"the new article's audit entry",
			() => auditInsertWhere(db, entry, newArticleWhere(created)),
			[bySlug, "article_revisions_version_idx (article_id=?)"],
		],
		[
			"the new article's first revision",
			() => insertFirstRevision(db, created, author),
			[bySlug, "article_revisions_version_idx (article_id=?)"],
		],
		["the permanent delete", () => deleteTrashedArticle(db, 1), [byId]],
		["its audit entry", () => auditInsertWhere(db, entry, inTrashWhere(1)), [byId]],
		["the article, reloaded", () => findAdminArticle(db, 1), [byId, "slug_redirects_article_idx (article_id=?)"]],
		["the new article, read back", () => findAdminArticleBySlug(db, "new-slug"), [bySlug]],
		["whether it was ever published", () => publishedRevisionExists(db, 1), ["article_revisions_version_idx"]],
		["who holds a slug", () => findSlugHolders(db, "new-slug", 1), [bySlug, "slug_redirects_1 (slug=?)"]],
		[
			"the pictures it uses, recorded",
			() => insertArticleMediaWhere(db, ["a".repeat(32), "b".repeat(32)], guardWhere(guard)),
			[byId, bySlug, /SEARCH media USING (COVERING )?INDEX sqlite_autoindex_media_1 \(id=\?\)/],
		],
		[
			"the pictures it used, cleared",
			() => clearArticleMediaWhere(db, 1, guardWhere(guard)),
			[
				byId,
				/SEARCH article_media USING (COVERING )?(INDEX sqlite_autoindex_article_media_1|PRIMARY KEY) \(article_id=\?\)/,
			],
		],
	] as const)("%s reaches every row by a key", async (_name, build, expected) => {
		const plan = await explain(build().toSQL());
		for (const part of expected) expect(plan).toMatch(part);
		expect(plan).not.toMatch(
			/TEMP B-TREE|SCAN (articles|other|slug_redirects|r|article_revisions|h|audit_log)\b(?! USING)/,
		);
	});

	it("reads revisions by the article's version index", async () => {
		const recorder = countingD1(env.DB);
		await findRevisionRow(testDb(recorder.db), 1, 2);
		await listRevisionRows(testDb(recorder.db), 1);
		for (const query of recorder.queries) {
			const plan = await explain(query);
			expect(plan).toContain("SEARCH article_revisions USING INDEX article_revisions_version_idx (article_id=?");
			expect(plan).not.toMatch(/TEMP B-TREE|SCAN article_revisions/);
		}
	});
});
