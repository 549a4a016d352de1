import { HtmlValidate, StaticConfigLoader } from "html-validate/browser";
import { beforeEach, describe, expect, it } from "vitest";
import { DAY, fetchApp, insertArticle } from "../../helpers";
import { adminFetch, expectPrivate, flashOf, redirectTarget } from "../helpers";
import {
	admin,
	articleCount,
	articleForm,
	createViaForm,
	editForm,
	editor,
	page,
	post,
	stored,
	taxa,
	useArticleScreensFixture,
} from "./article-helpers";

// The article screens of the admin, driven as a browser without script would: GET pages, POST
// forms, follow 303s. The service underneath has its own tests; these check the screens. Here: the
// list, creating an article, and what every article screen must be (valid HTML, escaped). Editing
// is in article-edits.test.ts, the trash and revisions in article-trash-and-revisions.test.ts.

useArticleScreensFixture();

describe("article list", () => {
	beforeEach(async () => {
		const now = Date.now();
		await insertArticle({ title: "Magnet plant opens", topicId: taxa.topic.energy, regionId: taxa.region.china });
		await insertArticle({
			title: "Battery recycling draft",
			status: "draft",
			publishedAt: null,
			topicId: taxa.topic.recycling,
		});
		await insertArticle({
			title: "Chip fab scheduled",
			publishedAt: now + 3 * DAY,
			regionId: taxa.region["united-states"],
		});
		await insertArticle({ title: "Old story in trash", deletedAt: now - DAY });
	});

	it("lists every article not in the trash, with status badges and edit links", async () => {
		const html = await page("/admin");
		expect(html).toContain("Magnet plant opens");
		expect(html).toContain("Battery recycling draft");
		expect(html).toContain("Chip fab scheduled");
		expect(html).not.toContain("Old story in trash");
		expect(html).toMatch(/badge-scheduled">Scheduled</);
		expect(html).toMatch(/badge-draft">Draft</);
		expect(html).toMatch(/badge-published">Published</);
		expect(html).toMatch(/<a href="\/admin\/articles\/\d+">Magnet plant opens<\/a>/);
		expect(html).toContain('<a href="/admin" aria-current="page">Articles</a>');
	});

	it("filters by status, topic, region and title, keeping the filters in the form", async () => {
		const trash = await page("/admin?status=trash");
		expect(trash).toContain("Old story in trash");
		expect(trash).toMatch(/badge-trash">In trash</);
		expect(trash).not.toContain("Magnet plant opens");
		expect(trash).toMatch(/<option value="trash" selected/);

		const drafts = await page("/admin?status=draft");
		expect(drafts).toContain("Battery recycling draft");
		expect(drafts).not.toContain("Magnet plant opens");

		const scheduled = await page("/admin?status=scheduled");
		expect(scheduled).toContain("Chip fab scheduled");
		expect(scheduled).not.toContain("Magnet plant opens");

		const energy = await page("/admin?topic=energy");
		expect(energy).toContain("Magnet plant opens");
		expect(energy).not.toContain("Battery recycling draft");
		expect(energy).toMatch(/<option value="energy" selected/);

		const us = await page("/admin?region=united-states");
		expect(us).toContain("Chip fab scheduled");
		expect(us).not.toContain("Magnet plant opens");

		const search = await page("/admin?q=magnet");
		expect(search).toContain("Magnet plant opens");
		expect(search).not.toContain("Chip fab scheduled");
		expect(search).toContain('value="magnet"');

		const none = await page("/admin?q=nothing-matches-this");
		expect(none).toContain("No articles match these filters.");
	});

	it("refuses a bad filter with 400", async () => {
		const res = await adminFetch("/admin?status=everything", admin);
		expect(res.status).toBe(400);
		expectPrivate(res);
		const topic = await adminFetch("/admin?topic=Not%20A%20Slug", admin);
		expect(topic.status).toBe(400);
	});

	it("pages with a Next page link that keeps the filters", async () => {
		for (let i = 0; i < 52; i += 1) {
			await insertArticle({ title: `Energy item ${i}`, topicId: taxa.topic.energy, updatedAt: Date.now() - i * 1000 });
		}
		const first = await page("/admin?topic=energy");
		expect(first.match(/<tr>/g)?.length).toBe(51); // header + 50
		const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first)?.[1]?.replace(/&amp;/g, "&");
		expect(next).toMatch(/^\/admin\?topic=energy&cursor=/);
		const second = await page(next as string);
		expect(second.match(/<tr>/g)?.length).toBe(1 + 3); // 52 + "Magnet plant opens" - 50
		expect(second).not.toContain('rel="next"');
		expect(second).toContain("First page");
	});
});

describe("article list search", () => {
	it("labels the box Search, with a hint, and searches title, summary and text of every status", async () => {
		const now = Date.now();
		const body = "Output of *lanthanum* rose.";
		await insertArticle({ title: "Draft one", status: "draft", publishedAt: null, bodyMarkdown: body });
		await insertArticle({ title: "Scheduled one", publishedAt: now + DAY, bodyMarkdown: body });
		await insertArticle({ title: "Trashed one", deletedAt: now, bodyMarkdown: body });
		await insertArticle({ title: "Summary one", summary: "Lanthanum prices." });
		await insertArticle({ title: "Lanthanum in the title" });
		await insertArticle({ title: "Unrelated one" });

		const html = await page("/admin?q=Lanthanum");
		expect(html).toContain('<label for="filter-q">Search</label>');
		expect(html).not.toContain("Title contains");
		expect(html).toMatch(
			/id="filter-q-hint">\s*Words in the title, summary or text; &quot;quotes&quot; for a phrase\./,
		);
		expect(html).toMatch(
			/<input type="search" id="filter-q" name="q" value="Lanthanum"[^>]*aria-describedby="filter-q-hint"/,
		);
		for (const title of ["Draft one", "Scheduled one", "Summary one", "Lanthanum in the title"])
			expect(html).toContain(`>${title}</a>`);
		expect(html).not.toContain("Unrelated one");
		expect(html).not.toContain("Trashed one");
		const trash = await page("/admin?status=trash&q=lanthanum");
		expect(trash).toContain(">Trashed one</a>");
		expect(trash).not.toContain("Draft one");
	});

	it("shows a search over the limits by the box: 400, the filters kept, no list", async () => {
		await insertArticle({ title: "Kept out", topicId: taxa.topic.energy });
		for (const [q, message] of [
			["z".repeat(201), "Search for at most 200 characters."],
			["a b c d e f g h i j k l m", "Search for at most 12 words."],
		] as const) {
			const html = await page(`/admin?topic=energy&q=${encodeURIComponent(q)}`, admin, 400);
			expect(html).toContain(`<p class="field-error" id="filter-q-error">${message}</p>`);
			expect(html).toMatch(
				/id="filter-q" name="q" value="[^"]+"[^>]*aria-describedby="filter-q-hint filter-q-error" aria-invalid="true"/,
			);
			expect(html).toContain(`value="${q}"`);
			expect(html).toMatch(/<option value="energy" selected/);
			expect(html).not.toContain("Kept out");
		}
	});

	it("says so when a search has no words, and lists nothing", async () => {
		await insertArticle({ title: "Stars * and more" });
		for (const q of ['"*"', "🧲", "%"]) {
			const html = await page(`/admin?q=${encodeURIComponent(q)}`);
			expect(html).toContain("a search needs a word (letters or digits). No articles are shown.");
			expect(html).not.toContain("Stars * and more");
		}
	});

	it("pages a search with the query kept in the Next page link", async () => {
		for (let i = 0; i < 51; i += 1) {
			await insertArticle({
				title: `Item ${i}`,
				status: "draft",
				publishedAt: null,
				bodyMarkdown: "About cerium.",
				updatedAt: Date.now() - i * 1000,
			});
		}
		await insertArticle({ title: "No match" });
		const first = await page("/admin?q=cerium");
		expect(first.match(/<tr>/g)?.length).toBe(51);
		const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first)?.[1]?.replace(/&amp;/g, "&");
		expect(next).toMatch(/^\/admin\?q=cerium&cursor=/);
		const second = await page(next as string);
		expect(second.match(/<tr>/g)?.length).toBe(2);
		expect(second).toContain(">Item 50</a>");
		expect(second).not.toContain("No match");
	});
});

describe("creating an article", () => {
	it("shows an empty form with labelled fields", async () => {
		const html = await page("/admin/articles/new");
		for (const name of ["title", "slug", "summary", "region", "topic", "bodyMarkdown", "publishedAt"]) {
			expect(html).toContain(`<label for="${name}">`);
			expect(html).toContain(`id="${name}" name="${name}"`);
		}
		expect(html).toContain("Publish time (UTC)");
		expect(html).toContain('type="datetime-local"');
		expect(html).toContain("Generated from the title if empty");
		expect(html).toMatch(/value="preview"[^>]*>\s*Preview/);
		expect(html).toMatch(/value="draft"[^>]*>\s*Save draft/);
		expect(html).toMatch(/value="publish"[^>]*>\s*Publish/);
	});

	it("saves a draft and redirects (303) to its edit page, which says so", async () => {
		const { id, location } = await createViaForm();
		const row = await stored(id);
		expect(row).toMatchObject({
			title: "Rare earth magnet plant opens",
			slug: "rare-earth-magnet-plant-opens",
			status: "draft",
			regionId: taxa.region.china,
			topicId: taxa.topic.energy,
			bodyMarkdown: "First paragraph.\n\nSecond paragraph.",
		});
		const html = await page(location);
		expect(html).toContain("Draft created");
		expect(html).toContain('value="Rare earth magnet plant opens"');
		expect(html).toContain(`name="version" value="${row?.version}"`);
		expect(html).toMatch(/<option value="china" selected/);
	});

	it("keeps CRLF out of the stored Markdown", async () => {
		const { id } = await createViaForm({ bodyMarkdown: "One.\r\n\r\nTwo." });
		expect((await stored(id))?.bodyMarkdown).toBe("One.\n\nTwo.");
	});

	it("previews the body rendered on the server, escaped, without saving anything", async () => {
		const res = await post(
			"/admin/articles",
			articleForm({ intent: "preview", bodyMarkdown: "Hello **bold** world.\n\n<script>alert(1)</script>" }),
		);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('id="preview"');
		expect(html).toContain("<strong>bold</strong>");
		expect(html).not.toContain("<script>alert(1)</script>");
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(html).toContain("Nothing has been saved");
		// The form comes back with the text as typed.
		expect(html).toContain('value="Rare earth magnet plant opens"');
		expect(await articleCount()).toBe(0);
	});

	it("shows a refused form again (400) with each message next to its field and all input kept", async () => {
		const res = await post(
			"/admin/articles",
			articleForm({
				title: "Kept title 123",
				slug: "Not A Slug!",
				summary: "Kept summary.",
				bodyMarkdown: "Kept body text.",
				topic: "no-such-topic",
			}),
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('value="Kept title 123"');
		expect(html).toContain('value="Not A Slug!"');
		expect(html).toContain("Kept summary.");
		expect(html).toContain("Kept body text.");
		expect(html).toContain("flash-error");
		// The slug's input, its hint, then its error; the input points at both.
		expect(html).toMatch(
			/<input[^>]*name="slug"[^>]*aria-describedby="slug-hint slug-error"[^>]*aria-invalid="true"[^>]*>\s*<p class="hint" id="slug-hint">[^<]*<\/p>\s*<p class="field-error" id="slug-error">[^<]+<\/p>/,
		);
		expect(html).toMatch(/<p class="field-error" id="topic-error">[^<]+<\/p>/);
		expect(html).not.toContain('id="title-error"');
		expect(await articleCount()).toBe(0);
	});

	it("refuses an empty title next to the title field", async () => {
		const res = await post("/admin/articles", articleForm({ title: "" }));
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toMatch(
			/name="title"[^>]*aria-describedby="title-error"[^>]*>\s*<p class="field-error" id="title-error">/,
		);
		expect(html).toContain("A new plant in Baotou.");
	});

	it("shows a slug clash next to the slug field", async () => {
		await insertArticle({ slug: "taken-slug" });
		const res = await post("/admin/articles", articleForm({ slug: "taken-slug" }));
		expect(res.status).toBe(409);
		const html = await res.text();
		expect(html).toMatch(/<p class="field-error" id="slug-error">[^<]+<\/p>/);
		expect(html).toContain('value="taken-slug"');
		expect(await articleCount()).toBe(1);
	});

	it("publishes now, purges, and tells the editor what the purge did", async () => {
		const { id, location } = await createViaForm({ intent: "publish" });
		const row = await stored(id);
		expect(row?.status).toBe("published");
		expect(row?.publishedAt).toBeGreaterThan(Date.now() - 60_000);
		expect(row?.publishedAt).toBeLessThanOrEqual(Date.now());
		expect(location).toMatch(new RegExp(`^/admin/articles/${id}\\?flash=`));

		const html = await page(location);
		expect(html).toMatch(/role="status"><p>Published \(version \d+\)\. Cache: \d+ cached cop(y|ies) cleared here;/);
		expect(html).toContain("no global purge configured");
		expect(html).toMatch(/badge-published">Published</);
		expect(html).toContain('<a href="/articles/rare-earth-magnet-plant-opens">View on the site</a>');
		expect(html).toMatch(/value="unpublish"/);

		const publicPage = await fetchApp("/articles/rare-earth-magnet-plant-opens");
		expect(publicPage.status).toBe(200);
	});

	it("schedules when the publish time is in the future", async () => {
		const { id, location } = await createViaForm({ intent: "publish", publishedAt: "2099-03-04T05:06" });
		const row = await stored(id);
		expect(row?.status).toBe("published");
		expect(row?.publishedAt).toBe(Date.UTC(2099, 2, 4, 5, 6));
		expect(location).toMatch(new RegExp(`^/admin/articles/${id}\\?flash=`));
		const html = await page(location);
		expect(html).toContain("Scheduled (version");
		expect(html).toMatch(/badge-scheduled">Scheduled</);
		expect(html).toContain('value="2099-03-04T05:06"');
		expect(html).not.toContain("View on the site");
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(404);
	});
});

describe("markup", () => {
	// The same rules as scripts/validate-html.ts applies to the reader pages; the browser build
	// runs inside workerd, where the Node build's file-system config loader cannot.
	const validator = new HtmlValidate(new StaticConfigLoader({ extends: ["html-validate:standard"] }));

	async function expectValid(html: string, name: string) {
		const report = await validator.validateString(html, name);
		const messages = report.results.flatMap((r) => r.messages.map((m) => `${name} ${m.ruleId}: ${m.message}`));
		expect(messages).toEqual([]);
	}

	it("is valid HTML on every article screen", async () => {
		await insertArticle({ title: "Listed", topicId: taxa.topic.energy });
		const { id } = await createViaForm({ bodyMarkdown: "One.\n\nTwo." });
		const saved = await post(`/admin/articles/${id}`, await editForm(id, { bodyMarkdown: "One.\n\nThree." }));
		// Changed by both (the body), by them only (nothing here) and by me only (the title).
		const conflict = await post(
			`/admin/articles/${id}`,
			await editForm(id, { version: "1", title: "Mine", bodyMarkdown: "One.\n\nMine." }),
		);
		expect(conflict.status).toBe(409);
		const invalid = await post("/admin/articles", articleForm({ title: "", slug: "Bad Slug" }));
		const preview = await post("/admin/articles", articleForm({ intent: "preview" }));
		await expectValid(await page("/admin"), "list");
		await expectValid(await page("/admin?q=listed"), "list searched");
		await expectValid(await page(`/admin?topic=nope&q=${"x".repeat(201)}`, admin, 400), "list refused");
		await expectValid(await page("/admin?q=%22*%22"), "list, a search with no words");
		await expectValid(await page("/admin/articles/new"), "new");
		const edit = await page(redirectTarget(saved).location);
		expect(flashOf(edit)?.text).toMatch(/^Saved \(version 2\)/);
		await expectValid(edit, "edit");
		await expectValid(await page(`/admin/articles/${id}/revisions`), "revisions");
		await expectValid(await page(`/admin/articles/${id}/revisions/1`), "revision");
		const conflictHtml = await conflict.text();
		expect(conflictHtml).toContain("Changed by both, yours kept");
		await expectValid(conflictHtml, "conflict");
		await expectValid(await invalid.text(), "invalid");
		await expectValid(await preview.text(), "preview");
		await post(`/admin/articles/${id}`, await editForm(id, { slug: "moved" }));
		const moving = await page(`/admin/articles/${id}/revisions/1`);
		expect(moving).toContain("Restoring also changes the address");
		await expectValid(moving, "revision with another slug");
		await post(`/admin/articles/${id}/trash`, { version: "3" });
		await expectValid(await page(`/admin/articles/${id}`), "trashed");
		await expectValid(await page(`/admin/articles/${id}/delete`), "confirm");
	});
});

describe("escaping", () => {
	const EVIL = "<img src=x onerror=alert(1)>";

	it("shows a hostile title as text on every article screen", async () => {
		const { id } = await createViaForm({ title: EVIL, slug: "evil-title" });
		await post(`/admin/articles/${id}`, await editForm(id, { title: `${EVIL} 2` }));
		const conflict = await post(`/admin/articles/${id}`, await editForm(id, { version: "1", title: `${EVIL} 3` }));
		expect(conflict.status).toBe(409);
		await post(`/admin/articles/${id}/trash`, { version: "2" });
		const pages = [
			await page("/admin?status=trash"),
			await page(`/admin/articles/${id}`),
			await page(`/admin/articles/${id}/revisions`),
			await page(`/admin/articles/${id}/revisions/1`),
			await page(`/admin/articles/${id}/delete`),
			await conflict.text(),
		];
		for (const html of pages) {
			expect(html).not.toContain("<img src=x");
			expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
		}
	});

	it("shows a message after a redirect only as a save of this session wrote it", async () => {
		const { id, location } = await createViaForm();
		expect(flashOf(await page(location))).toEqual({
			kind: "ok",
			text: expect.stringMatching(/^Draft created \(version 1\)\. Cache: /),
		});
		const url = new URL(location, "http://localhost");
		const sig = url.searchParams.get("sig") ?? "";
		for (const forged of [
			`/admin/articles/${id}?flash=ok%3A%3Cb%3Ehi&sig=${"A".repeat(43)}`,
			`/admin/articles/${id}?flash=ok%3ASaved+(version+2).+Visit+evil.example&sig=${sig}`,
			`/admin/articles/${id}?flash=ok%3AHello&sig=abc`,
			`/admin${url.search}`,
		]) {
			const html = await page(forged);
			expect(html, forged).not.toContain('class="flash');
			expect(html).not.toContain("evil");
		}
		// The genuine address, opened in another editor's session, says nothing either.
		expect(await page(location, editor)).not.toContain('class="flash');
	});
});
