import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { DAY, fetchApp, insertArticle, insertRedirect } from "../../helpers";
import { adminFetch, expectPrivate, racingD1 } from "../helpers";
import {
	admin,
	asAdmin,
	asEditor,
	auditActions,
	call,
	counts,
	create,
	db,
	type ErrorBody,
	type Json,
	NEW,
	useArticleApiFixture,
	withCookie,
} from "./article-helpers";

// The admin's JSON API for articles, end to end through the app: edits, slugs, the trash,
// revisions, and a change that lands between a save's checks and its batch.

useArticleApiFixture();

describe("update", () => {
	it("saves a partial edit as the next version, with a revision and an audit entry", async () => {
		const made = await create({ topic: "energy" });
		const { res, body } = await call("PATCH", `/articles/${made.id}`, { title: "Magnet prices fall", version: 1 });
		expect(res.status).toBe(200);
		expect(body).toMatchObject({
			title: "Magnet prices fall",
			slug: made.slug,
			summary: NEW.summary,
			topic: { slug: "energy", name: "Energy" },
			version: 2,
		});
		const revisions = await call("GET", `/articles/${made.id}/revisions`);
		const list = revisions.body.revisions as { version: number; title: string; editor: { name: string } }[];
		expect(list.map((r) => [r.version, r.title])).toEqual([
			[2, "Magnet prices fall"],
			[1, NEW.title],
		]);
		expect(list[0]?.editor.name).toBe("Eda Editor");
		const actions = await auditActions(made.id);
		expect(actions.at(-1)).toMatchObject({
			action: "article.update",
			detail: { fromVersion: 1, toVersion: 2, changed: ["title"] },
		});
	});

	it("keeps the state a save started from when the article had no history yet, once", async () => {
		const seeded = await insertArticle({ title: "Seeded title" });
		expect((await counts(seeded.id)).revisions).toBe(0);
		await call("PATCH", `/articles/${seeded.id}`, { title: "Edited once", version: 1 });
		await call("PATCH", `/articles/${seeded.id}`, { title: "Edited twice", version: 2 });
		const { body } = await call("GET", `/articles/${seeded.id}/revisions`);
		const list = body.revisions as { version: number; title: string; editor: { name: string } }[];
		expect(list.map((r) => [r.version, r.title, r.editor.name])).toEqual([
			[3, "Edited twice", "Eda Editor"],
			[2, "Edited once", "Eda Editor"],
			[1, "Seeded title", "(before revisions were kept)"],
		]);
	});

	it("clears the topic with null or empty, and keeps it when left out", async () => {
		const made = await create({ topic: "energy", region: "china" });
		const { body } = await call("PATCH", `/articles/${made.id}`, { topic: "", region: null, version: 1 });
		expect(body).toMatchObject({ topic: null, region: null, version: 2 });
		const kept = await call("PATCH", `/articles/${made.id}`, { topic: "recycling", version: 2 });
		expect(kept.body).toMatchObject({ topic: { slug: "recycling" }, region: null });
	});

	it("refuses a stale version with 409 and the current article, writing nothing", async () => {
		const made = await create();
		await call("PATCH", `/articles/${made.id}`, { title: "Second", version: 1 });
		const row = await db.select().from(schema.articles).where(eq(schema.articles.id, made.id));
		const before = await counts(made.id);

		const { res, body } = await call("PATCH", `/articles/${made.id}`, { title: "Lost edit", slug: "lost", version: 1 });
		expect(res.status).toBe(409);
		expect(body.error.code).toBe("conflict");
		expect(body.error.message).toMatch(/version 2/);
		expect(body.current).toMatchObject({ id: made.id, title: "Second", version: 2, bodyMarkdown: NEW.bodyMarkdown });
		expect(await db.select().from(schema.articles).where(eq(schema.articles.id, made.id))).toEqual(row);
		expect(await counts(made.id)).toEqual(before);
	});

	it("writes nothing for an edit that changes nothing: 200 with the article as it is and a null purge", async () => {
		const made = await create({
			topic: "energy",
			region: "china",
			status: "published",
			publishedAt: "2025-01-02T03:04:05Z",
		});
		const row = await db.select().from(schema.articles).where(eq(schema.articles.id, made.id));
		const before = await counts(made.id);
		const same = {
			title: made.title,
			slug: made.slug,
			summary: NEW.summary,
			bodyMarkdown: NEW.bodyMarkdown,
			topic: "energy",
			region: "china",
			status: "published",
			publishedAt: "2025-01-02T03:04:05Z",
		};
		for (const patch of [{}, same, { title: `  ${made.title} ` }, { publishedAt: "" }]) {
			const { res, body } = await call("PATCH", `/articles/${made.id}`, { ...patch, version: 1 });
			expect(res.status, JSON.stringify(patch)).toBe(200);
			expect(body).toMatchObject({ id: made.id, version: 1, title: made.title, live: true, purge: null });
			expect(body.updatedAt).toBe(made.updatedAt);
		}
		expect(await db.select().from(schema.articles).where(eq(schema.articles.id, made.id))).toEqual(row);
		expect(await counts(made.id)).toEqual(before);

		// Based on an older version it is still refused: its sender has not seen the newer one.
		await call("PATCH", `/articles/${made.id}`, { title: "Second", version: 1 });
		const stale = await call("PATCH", `/articles/${made.id}`, { version: 1 });
		expect(stale.res.status).toBe(409);
		expect(stale.body.current).toMatchObject({ title: "Second", version: 2 });
	});

	it("publishes and unpublishes: readers see it, then get a 404", async () => {
		const made = await create();
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(404);
		const published = await call("PATCH", `/articles/${made.id}`, { status: "published", version: 1 });
		expect(published.body).toMatchObject({ status: "published", live: true });
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(200);
		const unpublished = await call("PATCH", `/articles/${made.id}`, { status: "draft", version: 2 });
		expect(unpublished.body).toMatchObject({ status: "draft", live: false });
		// The publication time is kept: publishing again does not make it news again.
		expect(unpublished.body.publishedAt).toBe(published.body.publishedAt);
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(404);
		expect((await auditActions(made.id)).map((a) => a.action)).toEqual([
			"article.create",
			"article.publish",
			"article.unpublish",
		]);
	});

	it("keeps a live article's time on edits, and publishes a scheduled one now when the time is cleared", async () => {
		const live = await create({ status: "published", publishedAt: "2025-01-02T03:04:05Z" });
		const edited = await call("PATCH", `/articles/${live.id}`, { summary: "New.", publishedAt: "", version: 1 });
		expect(edited.body.publishedAt).toBe("2025-01-02T03:04:05.000Z");

		const future = new Date(Date.now() + DAY).toISOString();
		const scheduled = await create({ status: "published", publishedAt: future, slug: "soon" });
		expect(scheduled.scheduled).toBe(true);
		const kept = await call("PATCH", `/articles/${scheduled.id}`, { title: "Soon!", version: 1 });
		expect(kept.body).toMatchObject({ publishedAt: future, scheduled: true });
		const now = await call("PATCH", `/articles/${scheduled.id}`, { publishedAt: null, version: 2 });
		expect(now.body).toMatchObject({ scheduled: false, live: true });
	});
});

describe("slugs", () => {
	it("refuses another article's slug, and another article's retired slug, with 409 on the slug field", async () => {
		const taken = await insertArticle({ slug: "taken", title: "The holder" });
		await insertRedirect("retired-elsewhere", taken.id);
		const made = await create({ slug: "mine" });

		for (const slug of ["taken", "retired-elsewhere"]) {
			const created = await call("POST", "/articles", { ...NEW, slug });
			expect(created.res.status, slug).toBe(409);
			expect(created.body.error.fields?.slug).toContain("The holder");
			const edited = await call("PATCH", `/articles/${made.id}`, { slug, version: 1 });
			expect(edited.res.status, slug).toBe(409);
			expect(Object.keys(edited.body.error.fields ?? {})).toEqual(["slug"]);
		}
		// Never a silent suffix: a title whose slug is taken is refused too.
		const clash = await call("POST", "/articles", { ...NEW, title: "Taken" });
		expect(clash.res.status).toBe(409);
		expect((await counts(made.id)).revisions).toBe(1);
	});

	it("keeps a 301 from every old slug of a published article, straight to the current one", async () => {
		const made = await create({ status: "published", slug: "first-name" });
		await call("PATCH", `/articles/${made.id}`, { slug: "second-name", version: 1 });
		const { body } = await call("PATCH", `/articles/${made.id}`, { slug: "third-name", version: 2 });
		expect(body.retiredSlugs).toEqual(["first-name", "second-name"]);
		for (const old of ["first-name", "second-name"]) {
			const res = await fetchApp(`/articles/${old}`, { redirect: "manual" });
			expect(res.status, old).toBe(301);
			expect(res.headers.get("location"), old).toBe("/articles/third-name");
		}
		expect((await fetchApp("/articles/third-name")).status).toBe(200);
		const redirects = await db.select().from(schema.slugRedirects);
		expect(redirects.every((r) => r.articleId === made.id)).toBe(true);

		// Back to an old slug: it is the address again, and the one just left redirects.
		const back = await call("PATCH", `/articles/${made.id}`, { slug: "first-name", version: 3 });
		expect(back.body.retiredSlugs.sort()).toEqual(["second-name", "third-name"]);
		expect((await fetchApp("/articles/first-name")).status).toBe(200);
		const third = await fetchApp("/articles/third-name", { redirect: "manual" });
		expect(third.headers.get("location")).toBe("/articles/first-name");
		expect((await auditActions(made.id)).at(-1)?.detail).toMatchObject({
			slug: "first-name",
			previousSlug: "third-name",
		});
	});

	it("leaves no redirect behind a draft that was never published", async () => {
		const made = await create({ slug: "draft-one" });
		const { body } = await call("PATCH", `/articles/${made.id}`, { slug: "draft-two", version: 1 });
		expect(body.retiredSlugs).toEqual([]);
		expect(await db.select().from(schema.slugRedirects)).toHaveLength(0);
		// Free for another article at once.
		expect((await create({ slug: "draft-one" })).slug).toBe("draft-one");
	});
});

describe("trash, restore and permanent delete", () => {
	it("trashes (readers get a 404 at once) and restores (readers see it again)", async () => {
		const made = await create({ status: "published" });
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(200);
		const trashed = await call("DELETE", `/articles/${made.id}`, { version: 1 });
		expect(trashed.res.status).toBe(200);
		expect(trashed.body).toMatchObject({ version: 2, live: false });
		expect(trashed.body.deletedAt).not.toBeNull();
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(404);
		expect((await call("GET", "/articles?status=trash")).body.articles).toHaveLength(1);
		expect((await call("GET", "/articles")).body.articles).toHaveLength(0);

		const stale = await call("POST", `/articles/${made.id}/restore`, { version: 1 });
		expect(stale.res.status).toBe(409);
		const restored = await call("POST", `/articles/${made.id}/restore`, { version: 2 }, withCookie);
		expect(restored.res.status).toBe(200);
		expect(restored.body).toMatchObject({ version: 3, deletedAt: null, live: true });
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(200);
		expect((await auditActions(made.id)).map((a) => a.action)).toEqual([
			"article.create",
			"article.trash",
			"article.restore",
		]);
	});

	it("takes the version from ?version= or not at all", async () => {
		const made = await create();
		expect((await call("DELETE", `/articles/${made.id}?version=5`)).res.status).toBe(409);
		expect((await call("DELETE", `/articles/${made.id}?version=1`)).res.status).toBe(200);
		expect((await call("POST", `/articles/${made.id}/restore`)).res.status).toBe(200);
		expect((await call("DELETE", `/articles/${made.id}`, { version: "x" })).body.error.fields).toHaveProperty(
			"version",
		);
	});

	it("deletes for good only from the trash and only for an admin; the audit entry stays", async () => {
		const made = await create({ status: "published", slug: "doomed" });
		await call("PATCH", `/articles/${made.id}`, { slug: "doomed-2", version: 1 });

		const early = await call("DELETE", `/articles/${made.id}?permanent=true`, undefined, asAdmin);
		expect(early.res.status).toBe(409);
		await call("DELETE", `/articles/${made.id}`, { version: 2 });
		const byEditor = await call("DELETE", `/articles/${made.id}?permanent=true`, undefined, asEditor);
		expect(byEditor.res.status).toBe(403);
		expect(await counts(made.id)).toMatchObject({ revisions: 3, redirects: 1 });

		const { res, body } = await call("DELETE", `/articles/${made.id}?permanent=true`, undefined, asAdmin);
		expect(res.status).toBe(200);
		expect(body).toMatchObject({ id: made.id, slug: "doomed-2", destroyed: true });
		// In the trash it was already a 404 under every slug it had: readers see no change.
		expect(body.purge).toMatchObject({ keys: [], tags: [] });
		// D1 enforces the foreign keys: revisions and redirects went with the article.
		expect(await counts(made.id)).toMatchObject({ revisions: 0, redirects: 0 });
		expect(await db.select().from(schema.articles)).toHaveLength(0);
		expect((await auditActions(made.id)).at(-1)).toMatchObject({
			action: "article.destroy",
			editorEmail: admin.email,
			detail: { slug: "doomed-2", retiredSlugs: ["doomed"] },
		});
		expect((await call("GET", `/articles/${made.id}`)).res.status).toBe(404);
		expect((await fetchApp("/articles/doomed")).status).toBe(404);
	});
});

describe("revisions", () => {
	it("restores an earlier revision as a new version with the old content", async () => {
		const made = await create({ topic: "energy", status: "published" });
		await call("PATCH", `/articles/${made.id}`, {
			title: "Rewritten",
			bodyMarkdown: "All new.",
			topic: "recycling",
			version: 1,
		});
		const one = await call("GET", `/articles/${made.id}/revisions/1`);
		expect(one.body).toMatchObject({ version: 1, title: NEW.title, topic: { slug: "energy" } });
		expect((await call("GET", `/articles/${made.id}/revisions/9`)).res.status).toBe(404);

		const stale = await call("POST", `/articles/${made.id}/revisions/1/restore`, { version: 1 });
		expect(stale.res.status).toBe(409);
		const { res, body } = await call("POST", `/articles/${made.id}/revisions/1/restore`, { version: 2 });
		expect(res.status).toBe(200);
		expect(body).toMatchObject({
			version: 3,
			title: NEW.title,
			bodyMarkdown: NEW.bodyMarkdown,
			bodyHtml: "<p>First.</p>\n<p>Second.</p>\n",
			topic: { slug: "energy" },
			status: "published",
		});
		const list = (await call("GET", `/articles/${made.id}/revisions`)).body.revisions as { version: number }[];
		expect(list.map((r) => r.version)).toEqual([3, 2, 1]);
		expect((await auditActions(made.id)).at(-1)).toMatchObject({
			action: "article.revert",
			detail: { restoredVersion: 1, fromVersion: 2, toVersion: 3 },
		});
		const page = await fetchApp(`/articles/${made.slug}`);
		expect(await page.text()).toContain(NEW.title);
	});
});

describe("a change that lands between the checks and the batch", () => {
	async function racing(
		marker: RegExp,
		concurrentWrite: () => Promise<unknown>,
		method: string,
		path: string,
		json?: unknown,
	) {
		const DB = racingD1(marker, concurrentWrite);
		const res = await adminFetch(`/api/admin${path}`, asEditor, { method, json }, { ...env, DB });
		expectPrivate(res);
		return { res, body: (await res.json()) as Json & ErrorBody };
	}
	const bumpVersion = (id: number) => () =>
		env.DB.prepare("UPDATE articles SET version = version + 1, title = 'Theirs' WHERE id = ?").bind(id).run();

	it("a save based on a version saved meanwhile writes nothing: 409 with their text", async () => {
		const made = await create({ status: "published", slug: "racy" });
		const before = await counts(made.id);
		const { res, body } = await racing(/^update "articles"/, bumpVersion(made.id), "PATCH", `/articles/${made.id}`, {
			title: "Mine",
			slug: "racy-2",
			version: 1,
		});
		expect(res.status).toBe(409);
		expect(body.current).toMatchObject({ title: "Theirs", slug: "racy", version: 2, retiredSlugs: [] });
		expect(await counts(made.id)).toEqual(before);
	});

	it("a new slug taken meanwhile, as a retired one, writes nothing: 409 on the slug", async () => {
		const made = await create({ status: "published", slug: "mine" });
		const other = await insertArticle({ slug: "theirs" });
		const before = await counts(made.id);
		const { res, body } = await racing(
			/^update "articles"/,
			() => insertRedirect("wanted", other.id),
			"PATCH",
			`/articles/${made.id}`,
			{ slug: "wanted", version: 1 },
		);
		expect(res.status).toBe(409);
		expect(Object.keys(body.error.fields ?? {})).toEqual(["slug"]);
		expect(await counts(made.id)).toEqual({ ...before, redirects: 1 });
		expect((await call("GET", `/articles/${made.id}`)).body).toMatchObject({ slug: "mine", version: 1 });
	});

	it("a new article whose slug was taken meanwhile is not created: 409 on the slug", async () => {
		const { res, body } = await racing(
			/^insert into "articles"/,
			() => insertArticle({ slug: "first-come" }),
			"POST",
			"/articles",
			{ ...NEW, slug: "first-come" },
		);
		expect(res.status).toBe(409);
		expect(body.error.fields?.slug).toMatch(/first-come/);
		expect(await db.select().from(schema.articles)).toHaveLength(1);
		expect(await db.select().from(schema.auditLog)).toHaveLength(0);
		expect(await db.select().from(schema.articleRevisions)).toHaveLength(0);
	});

	it("a permanent delete of an article restored meanwhile deletes nothing", async () => {
		const made = await create();
		await call("DELETE", `/articles/${made.id}`, { version: 1 });
		const DB = racingD1(/^delete from "articles"/, () =>
			env.DB.prepare("UPDATE articles SET deleted_at = NULL WHERE id = ?").bind(made.id).run(),
		);
		const res = await adminFetch(
			`/api/admin/articles/${made.id}?permanent=true`,
			asAdmin,
			{ method: "DELETE" },
			{
				...env,
				DB,
			},
		);
		expect(res.status).toBe(409);
		expect(await counts(made.id)).toMatchObject({ revisions: 2 });
		expect((await auditActions(made.id)).map((a) => a.action)).toEqual(["article.create", "article.trash"]);
	});
});
