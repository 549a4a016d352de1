import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchApp, insertAuthor } from "../../helpers";
import { asAdmin, asEditor, auditActions, call, create, db, editor, useArticleApiFixture } from "./article-helpers";

// An article's byline through the admin's JSON API: written with the save, in order, checked.

useArticleApiFixture();

let ids: Record<string, number>;

beforeEach(async () => {
	ids = {
		ada: await insertAuthor("ada", "Ada Lovelace"),
		bea: await insertAuthor("bea", "Bea Baker"),
		cy: await insertAuthor("cy", "Cy Chen"),
	};
});

type Byline = { slug: string; name: string; url: string }[];

async function storedByline(articleId: number) {
	const rows = await db
		.select()
		.from(schema.articleAuthors)
		.where(eq(schema.articleAuthors.articleId, articleId))
		.orderBy(schema.articleAuthors.position);
	return rows;
}

describe("authors of an article", () => {
	it("creates an article with its authors in byline order, and AdminArticle returns them", async () => {
		const body = await create({ authors: ["bea", "ada"], status: "published" });
		expect(body.authors as Byline).toEqual([
			{ slug: "bea", name: "Bea Baker", url: expect.stringMatching(/\/authors\/bea$/) },
			{ slug: "ada", name: "Ada Lovelace", url: expect.stringMatching(/\/authors\/ada$/) },
		]);
		const rows = await storedByline(body.id);
		expect(rows.map((r) => [r.authorId, r.position, r.listed])).toEqual([
			[ids.bea, 0, true],
			[ids.ada, 1, true],
		]);
		expect(body.purge.tags).toEqual(expect.arrayContaining(["list:author:bea", "list:author:ada"]));
		const got = await call("GET", `/articles/${body.id}`);
		expect((got.body.authors as Byline).map((a) => a.slug)).toEqual(["bea", "ada"]);
		const pub = (await (await fetchApp(`/api/articles/${body.slug}`)).json()) as { authors: Byline };
		expect(pub.authors.map((a) => a.name)).toEqual(["Bea Baker", "Ada Lovelace"]);
	});

	it("defaults a new article's byline to the author linked to the editor, and to none otherwise", async () => {
		expect((await create()).authors).toEqual([]);
		await db
			.update(schema.authors)
			.set({ editorId: editor.id })
			.where(eq(schema.authors.id, ids.cy as number));
		expect(((await create({ title: "Second one" })).authors as Byline).map((a) => a.slug)).toEqual(["cy"]);
		// Explicitly none, or others, override the default.
		expect((await create({ title: "Third one", authors: [] })).authors).toEqual([]);
		expect(((await create({ title: "Fourth", authors: ["ada"] })).authors as Byline).map((a) => a.slug)).toEqual([
			"ada",
		]);
	});

	it("refuses unknown, repeated, too many or malformed authors with 400 naming the problem", async () => {
		const cases: [unknown, RegExp][] = [
			[["ada", "nobody"], /"nobody"/],
			[["ada", "ada"], /"ada" is named twice/],
			[Array.from({ length: 11 }, (_, i) => `a${i}`), /At most 10 authors/],
			["ada", /list of author slugs/],
			[[1], /list of author slugs/],
			[["Not A Slug"], /There is no author "Not A Slug"/],
		];
		for (const [authors, message] of cases) {
			const { res, body } = await call("POST", "/articles", { title: "T", summary: "S", bodyMarkdown: "B", authors });
			expect(res.status, JSON.stringify(authors)).toBe(400);
			expect(body.error.fields?.authors).toMatch(message);
		}
		expect(await db.select().from(schema.articles)).toHaveLength(0);
	});

	it("keeps the byline on a PATCH without authors; a new byline is a new version", async () => {
		const created = await create({ authors: ["ada"], status: "published" });
		const kept = await call("PATCH", `/articles/${created.id}`, { version: 1, title: "New title" });
		expect(kept.res.status).toBe(200);
		expect((kept.body.authors as Byline).map((a) => a.slug)).toEqual(["ada"]);
		expect(kept.body.version).toBe(2);

		const same = await call("PATCH", `/articles/${created.id}`, { version: 2, authors: ["ada"] });
		expect(same.body.version).toBe(2);
		expect(same.body.purge).toBeNull();

		const changed = await call("PATCH", `/articles/${created.id}`, { version: 2, authors: ["cy", "ada"] });
		expect(changed.res.status).toBe(200);
		expect(changed.body.version).toBe(3);
		expect(changed.body.updatedAt).not.toBe(kept.body.updatedAt);
		expect((changed.body.authors as Byline).map((a) => a.slug)).toEqual(["cy", "ada"]);
		expect(changed.body.purge.tags).toEqual(expect.arrayContaining(["list:author:cy", "list:author:ada"]));
		const actions = await auditActions(created.id);
		expect(actions.at(-1)?.detail).toMatchObject({
			changed: ["authors"],
			authors: { from: ["ada"], to: ["cy", "ada"] },
		});

		const none = await call("PATCH", `/articles/${created.id}`, { version: 3, authors: [] });
		expect(none.body.authors).toEqual([]);
		expect(await storedByline(created.id)).toHaveLength(0);
	});

	it("a stale version changes no byline (409), and a bad author leaves the article as it was", async () => {
		const created = await create({ authors: ["ada"] });
		await call("PATCH", `/articles/${created.id}`, { version: 1, title: "Moved on" });
		const stale = await call("PATCH", `/articles/${created.id}`, { version: 1, authors: ["bea"] });
		expect(stale.res.status).toBe(409);
		expect(((stale.body.current?.authors ?? []) as Byline).map((a) => a.slug)).toEqual(["ada"]);
		const bad = await call("PATCH", `/articles/${created.id}`, { version: 2, authors: ["bea", "zed"] });
		expect(bad.res.status).toBe(400);
		expect((await storedByline(created.id)).map((r) => r.authorId)).toEqual([ids.ada]);
	});

	it("follows the article's visibility: trash unlists, restore lists again", async () => {
		const created = await create({ authors: ["ada"], status: "published" }, asAdmin);
		expect((await storedByline(created.id))[0]?.listed).toBe(true);
		await call("DELETE", `/articles/${created.id}`, undefined, asEditor);
		expect((await storedByline(created.id))[0]?.listed).toBe(false);
		await call("POST", `/articles/${created.id}/restore`, undefined, asEditor);
		expect((await storedByline(created.id))[0]?.listed).toBe(true);
	});
});
