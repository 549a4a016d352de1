import { beforeEach, describe, expect, it } from "vitest";
import {
	type ArticleDraft,
	createArticle,
	listRevisions,
	updateArticle,
	VERSION_MESSAGE,
	VersionConflict,
} from "../../../src/admin/services/articles";
import { freshTaxa, insertRedirect } from "../../helpers";
import {
	at,
	auditRows,
	dbState,
	HOUR,
	NOW,
	REPORT,
	refusal,
	refusedWithoutWrites,
	rowCounts,
	serviceDeps,
	type TestDeps,
} from "./helpers";

// The article service's create and edit, called directly: what each writes (the article, its
// revision, its audit entry, its redirects) and the purge plan it hands over. Trash, deletion and
// revisions are in articles-trash.test.ts.

const key = (path: string) => `https://samarium.test${path}`;
const ownKeys = (slug: string) => [key(`/articles/${slug}`), key(`/api/articles/${slug}`)];
const LIST_TAGS = ["list:home", "feed", "sitemap", "list:topic:energy", "list:region:china"];

const BASE: ArticleDraft = {
	title: "Rare-earth prices rise!",
	summary: "Prices rose for a third month.",
	bodyMarkdown: "Prices **rose**.\n",
};

let deps: TestDeps;

beforeEach(async () => {
	await freshTaxa();
	deps = await serviceDeps("editor");
});

describe("createArticle", () => {
	it("writes a draft as version 1 with its revision and audit entry, and plans no purge of it", async () => {
		const { article, purge } = await createArticle(deps, BASE);

		expect(article).toMatchObject({
			slug: "rare-earth-prices-rise",
			title: "Rare-earth prices rise!",
			bodyHtml: "<p>Prices <strong>rose</strong>.</p>\n",
			status: "draft",
			publishedAt: null,
			version: 1,
			createdAt: NOW,
			updatedAt: NOW,
			deletedAt: null,
			region: null,
			topic: null,
			retiredSlugs: [],
		});
		expect(await rowCounts()).toMatchObject({ articles: 1, article_revisions: 1, audit_log: 1, slug_redirects: 0 });
		const [revision] = await listRevisions(deps.db, article.id);
		expect(revision).toMatchObject({
			version: 1,
			title: article.title,
			status: "draft",
			editorId: deps.editor.id,
			editorName: deps.editor.name,
			createdAt: NOW,
		});
		expect(await auditRows()).toEqual([
			expect.objectContaining({
				at: NOW,
				editorId: deps.editor.id,
				editorEmail: deps.editor.email,
				action: "article.create",
				subject: `article:${article.id}`,
				detail: { title: article.title, slug: article.slug, status: "draft", toVersion: 1 },
			}),
		]);
		// Nobody can see a draft: nothing cached shows it, so nothing is purged.
		expect(deps.plans).toEqual([{ keys: [], tags: [] }]);
		expect(purge).toBe(REPORT);
	});

	it("publishing at once plans the article's own addresses and every list it joins", async () => {
		const { article } = await createArticle(deps, { ...BASE, status: "published", topic: "energy", region: "china" });

		expect(article).toMatchObject({ status: "published", publishedAt: NOW, topic: { slug: "energy" } });
		const [plan] = deps.plans;
		expect(plan?.keys).toEqual(expect.arrayContaining([...ownKeys(article.slug), key("/"), key("/feed.xml")]));
		expect(plan?.tags).toEqual(
			expect.arrayContaining([`article:${article.slug}`, ...LIST_TAGS, "pool:newest", "pool:topic:energy"]),
		);
	});

	it("a scheduled article is not yet visible, so its creation purges nothing", async () => {
		const { article } = await createArticle(deps, {
			...BASE,
			status: "published",
			publishedAt: new Date(NOW + HOUR).toISOString(),
		});
		expect(article).toMatchObject({ status: "published", publishedAt: NOW + HOUR });
		expect(deps.plans).toEqual([{ keys: [], tags: [] }]);
	});

	it("names each missing field, and writes nothing", async () => {
		const error = await refusedWithoutWrites(deps, 400, () => createArticle(deps, { status: "draft" }));
		expect(error.fields).toEqual({ title: "Required.", summary: "Required.", bodyMarkdown: "Required." });
	});

	it.each<[string, ArticleDraft, Record<string, string>]>([
		[
			"a title with nothing to make a slug from",
			{ ...BASE, title: "!!!" },
			{
				slug: "The title has no letters or digits to make an address from: enter a slug (e.g. rare-earth-prices-rise).",
			},
		],
		[
			"a reserved slug",
			{ ...BASE, slug: "admin" },
			{ slug: `"admin" is kept free for the site's own addresses; choose another slug.` },
		],
		[
			"an unknown topic and region",
			{ ...BASE, topic: "nope", region: "Not A Slug" },
			{
				topic: 'There is no topic "nope".',
				region: 'There is no region "Not A Slug".',
			},
		],
		[
			"a version, which means nothing yet, is ignored; a bad status is not",
			{ ...BASE, version: "x", status: "live" },
			{
				status: 'Must be "draft" or "published".',
			},
		],
	])("refuses %s with a 400 naming the field", async (_name, draft, fields) => {
		const error = await refusedWithoutWrites(deps, 400, () => createArticle(deps, draft));
		expect(error.fields).toEqual(fields);
	});

	it("refuses a slug another article has, or had, with a 409 naming that article", async () => {
		const { article: holder } = await createArticle(deps, { ...BASE, slug: "taken" });
		const now = await refusedWithoutWrites(deps, 409, () => createArticle(deps, { ...BASE, slug: "taken" }));
		expect(now.fields?.slug).toBe(
			`The slug "taken" is already the address of another article, "${holder.title}" (id ${holder.id}). Choose another slug.`,
		);

		await insertRedirect("once-taken", holder.id);
		const once = await refusedWithoutWrites(deps, 409, () => createArticle(deps, { ...BASE, slug: "once-taken" }));
		expect(once.fields?.slug).toMatch(/^The slug "once-taken" used to be the address of another article/);
	});
});

describe("updateArticle", () => {
	const later = () => at(deps, NOW + HOUR);

	it("writes the next version with its revision and audit entry; the fields left out keep their values", async () => {
		const { article } = await createArticle(deps, BASE);
		const { article: edited, purge } = await updateArticle(later(), article.id, { title: "Prices rise", version: 1 });

		expect(edited).toMatchObject({
			title: "Prices rise",
			slug: article.slug,
			summary: BASE.summary,
			version: 2,
			createdAt: NOW,
			updatedAt: NOW + HOUR,
		});
		expect((await listRevisions(deps.db, article.id)).map((r) => [r.version, r.title, r.createdAt])).toEqual([
			[2, "Prices rise", NOW + HOUR],
			[1, BASE.title, NOW],
		]);
		expect((await auditRows()).at(-1)).toMatchObject({
			at: NOW + HOUR,
			action: "article.update",
			subject: `article:${article.id}`,
			detail: { title: "Prices rise", slug: article.slug, fromVersion: 1, toVersion: 2, changed: ["title"] },
		});
		expect(deps.plans.at(-1)).toEqual({ keys: [], tags: [] });
		expect(purge).toBe(REPORT);
	});

	it("refuses a stale version with VersionConflict carrying the current article, and writes nothing", async () => {
		const { article } = await createArticle(deps, BASE);
		await updateArticle(later(), article.id, { title: "Second", version: 1 });

		const error = await refusedWithoutWrites(deps, 409, () =>
			updateArticle(later(), article.id, { title: "Third", version: 1 }),
		);
		expect(error).toBeInstanceOf(VersionConflict);
		expect((error as VersionConflict).current).toMatchObject({ id: article.id, version: 2, title: "Second" });
		expect(error.message).toContain("after version 1; it is at version 2 now");
	});

	it("an edit that changes nothing returns purge null and writes nothing", async () => {
		const { article } = await createArticle(deps, { ...BASE, topic: "energy" });
		const before = await dbState();
		const plans = deps.plans.length;

		// Surrounding spaces are trimmed on save, and a topic named as it is stored is no change.
		const result = await updateArticle(later(), article.id, { title: ` ${BASE.title} `, topic: "energy", version: 1 });
		expect(result).toEqual({ article, purge: null });
		expect(await dbState()).toEqual(before);
		expect(deps.plans.length).toBe(plans);
	});

	it("still refuses an edit that changes nothing when it is based on an older version", async () => {
		const { article } = await createArticle(deps, BASE);
		await updateArticle(later(), article.id, { title: "Second", version: 1 });
		const error = await refusedWithoutWrites(deps, 409, () =>
			updateArticle(later(), article.id, { title: "Second", version: 1 }),
		);
		expect(error).toBeInstanceOf(VersionConflict);
	});

	it.each<[string, unknown, string]>([
		["left out", undefined, "Required: the version this edit is based on (the article's version when you loaded it)."],
		["zero", 0, VERSION_MESSAGE],
		["in exponent form", "1e0", VERSION_MESSAGE],
	])("refuses a version %s with a 400", async (_name, version, message) => {
		const { article } = await createArticle(deps, BASE);
		const error = await refusedWithoutWrites(deps, 400, () =>
			updateArticle(later(), article.id, { title: "X", version }),
		);
		expect(error.fields).toEqual({ version: message });
	});

	it("answers 404 for an article that does not exist", async () => {
		for (const id of [0, -1, 1.5, 999_999]) {
			const error = await refusal(updateArticle(deps, id, { title: "X", version: 1 }));
			expect(error).toMatchObject({ status: 404, message: "There is no article with this id." });
		}
	});

	it("publishing a draft logs article.publish and plans the lists it joins; unpublishing plans them again", async () => {
		const { article } = await createArticle(deps, { ...BASE, topic: "energy", region: "china" });
		const published = await updateArticle(later(), article.id, { status: "published", version: 1 });
		expect(published.article).toMatchObject({ status: "published", publishedAt: NOW + HOUR, version: 2 });
		expect(deps.plans.at(-1)?.tags).toEqual(expect.arrayContaining([`article:${article.slug}`, ...LIST_TAGS]));
		expect(deps.plans.at(-1)?.keys).toEqual(expect.arrayContaining(ownKeys(article.slug)));

		await updateArticle(at(deps, NOW + 2 * HOUR), article.id, { status: "draft", version: 2 });
		expect(deps.plans.at(-1)?.tags).toEqual(expect.arrayContaining([`article:${article.slug}`, ...LIST_TAGS]));
		expect((await auditRows()).map((e) => e.action)).toEqual([
			"article.create",
			"article.publish",
			"article.unpublish",
		]);
	});

	it("a published article's new slug keeps its old one as a redirect, and plans the purge of both", async () => {
		const { article } = await createArticle(deps, { ...BASE, slug: "old-slug", status: "published" });
		const { article: moved } = await updateArticle(later(), article.id, { slug: "new-slug", version: 1 });

		expect(moved).toMatchObject({ slug: "new-slug", retiredSlugs: ["old-slug"], version: 2 });
		const plan = deps.plans.at(-1);
		expect(plan?.keys).toEqual(expect.arrayContaining([...ownKeys("old-slug"), ...ownKeys("new-slug")]));
		expect(plan?.tags).toEqual(expect.arrayContaining(["article:old-slug", "article:new-slug"]));
		expect((await auditRows()).at(-1)?.detail).toMatchObject({ slug: "new-slug", previousSlug: "old-slug" });

		// Back to the old slug: it is the article's address again, and the other one redirects.
		const { article: back } = await updateArticle(at(deps, NOW + 2 * HOUR), article.id, {
			slug: "old-slug",
			version: 2,
		});
		expect(back).toMatchObject({ slug: "old-slug", retiredSlugs: ["new-slug"], version: 3 });
		expect((await rowCounts()).slug_redirects).toBe(1);
	});

	it("a draft that was never published keeps no redirect from its old slug", async () => {
		const { article } = await createArticle(deps, { ...BASE, slug: "first-draft" });
		const { article: moved } = await updateArticle(later(), article.id, { slug: "second-draft", version: 1 });
		expect(moved).toMatchObject({ slug: "second-draft", retiredSlugs: [] });
		expect((await rowCounts()).slug_redirects).toBe(0);
		expect(deps.plans.at(-1)?.tags.filter((t) => !t.startsWith("article:"))).toEqual([]);
	});

	it("clears a topic sent as empty, and refuses one that does not exist", async () => {
		const { article } = await createArticle(deps, { ...BASE, topic: "energy" });
		const { article: cleared } = await updateArticle(later(), article.id, { topic: "", version: 1 });
		expect(cleared.topic).toBeNull();
		expect((await auditRows()).at(-1)?.detail).toMatchObject({ changed: ["topic"] });

		const error = await refusedWithoutWrites(deps, 400, () =>
			updateArticle(later(), article.id, { topic: "nope", version: 2 }),
		);
		expect(error.fields).toEqual({ topic: 'There is no topic "nope".' });
	});
});
