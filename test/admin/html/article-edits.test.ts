import { describe, expect, it } from "vitest";
import { fetchApp, insertArticle } from "../../helpers";
import { adminFetch, expectPrivate, flashOf, redirectTarget } from "../helpers";
import {
	admin,
	articleCount,
	articleForm,
	countsOf,
	createViaForm,
	editForm,
	editor,
	formOn,
	metaLine,
	page,
	post,
	stored,
	taxa,
	useArticleScreensFixture,
} from "./article-helpers";

// The admin's article editor, driven as a browser without script would: saves, previews,
// publishing and unpublishing, and a save based on a version someone else has saved over since.

useArticleScreensFixture();

describe("editing an article", () => {
	it("saves changes with the version it was based on", async () => {
		const { id } = await createViaForm();
		const res = await post(`/admin/articles/${id}`, await editForm(id, { title: "A better title" }));
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toMatch(new RegExp(`^/admin/articles/${id}\\?flash=`));
		const row = await stored(id);
		expect(row?.title).toBe("A better title");
		expect(row?.version).toBe(2);
		expect(row?.status).toBe("draft");
		const html = await page(res.headers.get("location") as string);
		expect(html).toContain("Saved (version 2)");
	});

	it("previews an edit without saving and keeps the base version", async () => {
		const { id } = await createViaForm();
		const res = await post(
			`/admin/articles/${id}`,
			await editForm(id, { intent: "preview", bodyMarkdown: "## Changed *here*" }),
		);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("<h2>Changed <em>here</em></h2>");
		expect(html).toContain('name="version" value="1"');
		expect((await stored(id))?.bodyMarkdown).toBe("First paragraph.\n\nSecond paragraph.");
	});

	it("unpublishes a published article back to draft", async () => {
		const { id } = await createViaForm({ intent: "publish" });
		const res = await post(`/admin/articles/${id}`, await editForm(id, { intent: "unpublish" }));
		expect(res.status).toBe(303);
		const { path, location } = redirectTarget(res);
		expect(path).toBe(`/admin/articles/${id}`);
		expect(flashOf(await page(location))?.text).toMatch(/^Unpublished: back to draft \(version 2\)\. Cache: /);
		expect((await stored(id))?.status).toBe("draft");
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(404);
	});

	it("publishes an existing draft", async () => {
		const { id } = await createViaForm();
		const res = await post(`/admin/articles/${id}`, await editForm(id, { intent: "publish" }));
		expect(res.status).toBe(303);
		expect((await stored(id))?.status).toBe("published");
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(200);
	});

	it("keeps a stored publish time to the second when the field is left alone", async () => {
		const publishedAt = Date.UTC(2025, 8, 17, 14, 33, 11);
		const article = await insertArticle({ publishedAt, topicId: taxa.topic.energy, regionId: taxa.region.china });
		const form = await editForm(article.id, { title: "Retitled" });
		expect(form.publishedAt).toBe("2025-09-17T14:33");
		expect((await post(`/admin/articles/${article.id}`, form)).status).toBe(303);
		expect((await stored(article.id))?.publishedAt).toBe(publishedAt);
	});

	it("saves nothing when nothing changed, and says so", async () => {
		const { id } = await createViaForm({ intent: "publish" });
		const before = await stored(id);
		const counts = await countsOf(id);
		const res = await post(`/admin/articles/${id}`, await editForm(id, {}));
		const { path, location } = redirectTarget(res);
		expect(path).toBe(`/admin/articles/${id}`);
		expect(flashOf(await page(location))).toEqual({
			kind: "ok",
			text: "No changes to save: nothing was written (still version 1).",
		});
		expect(await stored(id)).toEqual(before);
		expect(await countsOf(id)).toEqual(counts);
	});

	it("says plainly when a save's publish time takes a live article off the site, or puts a scheduled one on it", async () => {
		const { id } = await createViaForm({ intent: "publish" });
		const edit = await page(`/admin/articles/${id}`);
		expect(edit).toMatch(/value="save" aria-describedby="save-note">\s*Save \(stays published\)/);
		expect(edit).toMatch(/id="save-note">Saving with a publish time in the future takes it off the site until then\./);

		const off = await post(`/admin/articles/${id}`, await editForm(id, { publishedAt: "2099-03-04T05:06" }));
		expect(flashOf(await page(redirectTarget(off).location))?.text).toMatch(
			/^Saved \(version 2\)\. Now scheduled: it is off the site, not visible to readers until 2099-03-04 05:06 UTC\. Cache: /,
		);
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(404);

		const later = await post(`/admin/articles/${id}`, await editForm(id, { publishedAt: "2099-05-06T07:08" }));
		expect(flashOf(await page(redirectTarget(later).location))?.text).toMatch(
			/^Saved \(version 3\)\. Still scheduled, now for 2099-05-06 07:08 UTC: not visible to readers until then\. /,
		);

		const on = await post(`/admin/articles/${id}`, await editForm(id, { publishedAt: "2020-01-02T03:04" }));
		expect(flashOf(await page(redirectTarget(on).location))?.text).toMatch(
			/^Saved \(version 4\)\. Now published: its publish time has passed, so readers see it now\. Cache: /,
		);
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(200);

		// A save that leaves the time alone says no more than before.
		const plain = await post(`/admin/articles/${id}`, await editForm(id, { title: "Retitled" }));
		expect(flashOf(await page(redirectTarget(plain).location))?.text).toMatch(/^Saved \(version 5\)\. Cache: /);
	});

	it("says in the line under the heading where the article stands", async () => {
		const { id: draft } = await createViaForm();
		const fresh = metaLine(await page(`/admin/articles/${draft}`));
		expect(fresh).toMatch(/ · not published · <a href="\/admin\/articles\/\d+\/revisions">/);

		const { id: later } = await createViaForm({ slug: "later", publishedAt: "2099-03-04T05:06" });
		expect(metaLine(await page(`/admin/articles/${later}`))).toContain(
			'not published (publish time set to <time datetime="2099-03-04T05:06:00.000Z">2099-03-04 05:06 UTC</time>)',
		);

		const { id: live } = await createViaForm({ slug: "live", intent: "publish", publishedAt: "2025-09-17T14:33" });
		const at = '<time datetime="2025-09-17T14:33:00.000Z">2025-09-17 14:33 UTC</time>';
		expect(metaLine(await page(`/admin/articles/${live}`))).toContain(` · published ${at}`);
		await post(`/admin/articles/${live}`, await editForm(live, { intent: "unpublish" }));
		const unpublished = metaLine(await page(`/admin/articles/${live}`));
		expect(unpublished).toContain(`not published (was published ${at})`);
		expect(unpublished).not.toContain(" · published");

		const { id: scheduled } = await createViaForm({ slug: "soon", intent: "publish", publishedAt: "2099-03-04T05:06" });
		expect(metaLine(await page(`/admin/articles/${scheduled}`))).toContain(
			'scheduled for <time datetime="2099-03-04T05:06:00.000Z">',
		);

		await post(`/admin/articles/${scheduled}/trash`, { version: "1" });
		const trashed = metaLine(await page(`/admin/articles/${scheduled}`));
		const deletedAt = (await stored(scheduled))?.deletedAt ?? 0;
		expect(trashed).toContain(`in the trash since <time datetime="${new Date(deletedAt).toISOString()}">`);
		expect(trashed).not.toContain("scheduled for");
	});

	it("answers 404 for an unknown article", async () => {
		for (const path of ["/admin/articles/999999", "/admin/articles/999999/revisions", "/admin/articles/abc"]) {
			const res = await adminFetch(path, admin);
			expect(res.status, path).toBe(404);
			expectPrivate(res);
		}
		const res = await post("/admin/articles/999999", articleForm({ version: "1", intent: "save" }));
		expect(res.status).toBe(404);
	});

	it("sends a visitor without a session to sign in, and refuses a cross-site form", async () => {
		const res = await fetchApp("/admin/articles/new", { redirect: "manual" });
		expect(res.status).toBe(302);
		expect(res.headers.get("location")).toMatch(/^\/admin\/login/);
		const forged = await adminFetch("/admin/articles", admin, { form: articleForm(), origin: "https://evil.example" });
		expect(forged.status).toBe(403);
		expect(await articleCount()).toBe(0);
	});
});

describe("a save based on an old version", () => {
	it("answers 409 with the editor's text kept beside what changed, and writes nothing", async () => {
		const { id } = await createViaForm({ bodyMarkdown: "Line one.\n\nLine two." });
		// Someone else saves first.
		const theirs = await editForm(id, { bodyMarkdown: "Line one.\n\nTheir new line two." });
		expect((await post(`/admin/articles/${id}`, theirs, editor)).status).toBe(303);
		const before = await stored(id);
		expect(before?.version).toBe(2);

		const mine = await editForm(id, {
			version: "1",
			title: "My title",
			bodyMarkdown: "Line one.\n\nMy own words here.",
		});
		const res = await post(`/admin/articles/${id}`, mine);
		expect(res.status).toBe(409);
		const html = await res.text();
		expect(html).toContain("This article changed while you were editing");
		expect(html).toContain("Eddie Editor");
		// My text, in an editable form now based on the current version.
		expect(html).toContain('value="My title"');
		expect(html).toMatch(/<textarea[^>]*name="bodyMarkdown"[^>]*>\s*Line one\.\s+My own words here\.<\/textarea>/);
		expect(html).toContain('name="version" value="2"');
		// Their change, as a diff from my base version.
		expect(html).toMatch(/<del class="diff-line diff-del">.*Line two\.<\/del>/);
		expect(html).toMatch(/<ins class="diff-line diff-add">.*Their new line two\.<\/ins>/);
		expect(await stored(id)).toEqual(before);

		// Saving again from the conflict form is deliberate, and works.
		const again = await post(`/admin/articles/${id}`, { ...mine, version: "2" });
		expect(again.status).toBe(303);
		expect((await stored(id))?.bodyMarkdown).toBe("Line one.\n\nMy own words here.");
	});

	it("merges just as well for an article that came without history (sample content, imports)", async () => {
		// insertArticle writes the row only, as the seed does: version 1 has no revision.
		const { id } = await insertArticle({ title: "Seeded title", summary: "Seeded summary." });
		const opened = formOn(await page(`/admin/articles/${id}`), `/admin/articles/${id}`);
		const theirs = await editForm(id, { summary: "Their summary." });
		expect((await post(`/admin/articles/${id}`, theirs, editor)).status).toBe(303);

		const res = await post(`/admin/articles/${id}`, { ...opened, title: "My title", intent: "save" });
		expect(res.status).toBe(409);
		const html = await res.text();
		expect(html).not.toContain("not in the history");
		expect(html).toContain('value="My title"');
		expect(html).toMatch(/<textarea[^>]*name="summary"[^>]*>\s*Their summary\.<\/textarea>/);
		const revisions = await page(`/admin/articles/${id}/revisions`);
		expect(revisions).toContain("(before revisions were kept)");
	});

	it("combines the editor's changes with the other save field by field, so saving again loses neither", async () => {
		const { id } = await createViaForm({
			title: "Base title",
			summary: "Base summary.",
			bodyMarkdown: "Line one.\n\nLine two.",
		});
		const opened = formOn(await page(`/admin/articles/${id}`), `/admin/articles/${id}`);
		// Someone else changes the title, summary, region and body.
		const theirs = await editForm(id, {
			title: "Their title",
			summary: "Their summary.",
			region: "united-states",
			bodyMarkdown: "Line one.\n\nTheir line two.",
		});
		expect((await post(`/admin/articles/${id}`, theirs, editor)).status).toBe(303);

		// I, still on version 1, change the title, the topic and the body.
		const mine = { ...opened, title: "My title", topic: "", bodyMarkdown: "Line one.\n\nMy line two.", intent: "save" };
		const res = await post(`/admin/articles/${id}`, mine);
		expect(res.status).toBe(409);
		const html = await res.text();

		// What the merge took from where, said first.
		expect(html).toMatch(/<strong>Taken from version 2<\/strong>[^<]*: Summary, Region\./);
		expect(html).toMatch(/<strong>Changed by both, yours kept<\/strong>[^<]*: Title, Body\./);
		expect(html).toContain("Your changes, kept: Topic.");

		// The form: theirs where I changed nothing, mine where I did.
		const form = formOn(html, `/admin/articles/${id}`);
		expect(form).toMatchObject({
			version: "2",
			title: "My title",
			slug: "base-title",
			summary: "Their summary.",
			region: "united-states",
			topic: "",
			bodyMarkdown: "Line one.\n\nMy line two.",
			publishedAt: "",
		});

		// Each field says so beside it: taken, or changed by both with their value and change.
		expect(html).toMatch(
			/name="summary"[^>]*aria-describedby="summary-hint"[\s\S]*?<p class="hint" id="summary-hint">[^<]*Taken from version 2: you had not changed this field\.<\/p>/,
		);
		expect(html).toMatch(
			/<p class="hint" id="title-hint"><strong>Changed by both: saving keeps yours; theirs was “Their title” \(version 1 had “Base title”\)\.<\/strong><\/p>/,
		);
		const body = html.indexOf('name="bodyMarkdown"');
		const theirChange = html.indexOf("Their change to the body, from version 1 to 2");
		expect(body).toBeGreaterThan(-1);
		expect(theirChange).toBeGreaterThan(body);
		expect(theirChange).toBeLessThan(html.indexOf('<label for="publishedAt">'));
		expect(html.slice(body, theirChange)).toContain("Changed by both: saving keeps yours.");
		expect(html.slice(theirChange)).toMatch(/<ins class="diff-line diff-add">.*Their line two\.<\/ins>/);

		// What changed comes before the Save button in the page's order (a narrow screen stacks them so).
		const save = html.indexOf('name="intent" value="save"');
		expect(html.indexOf("What the form below holds")).toBeLessThan(save);
		expect(html.indexOf("What changed since version 1")).toBeLessThan(save);
		expect(html.indexOf("Region</dt><dd>China → United States</dd>")).toBeGreaterThan(-1);
		expect(html.indexOf("Region</dt><dd>China → United States</dd>")).toBeLessThan(save);

		// Saving the form as shown keeps their summary and region and my title, topic and body.
		expect((await post(`/admin/articles/${id}`, { ...form, intent: "save" })).status).toBe(303);
		expect(await stored(id)).toMatchObject({
			version: 3,
			title: "My title",
			summary: "Their summary.",
			regionId: taxa.region["united-states"],
			topicId: null,
			bodyMarkdown: "Line one.\n\nMy line two.",
		});
	});

	it("keeps the editor's text as sent when the version it started from is not in the history", async () => {
		const { id } = await createViaForm({ summary: "Base summary." });
		await post(`/admin/articles/${id}`, await editForm(id, { summary: "Their summary." }), editor);
		const res = await post(`/admin/articles/${id}`, await editForm(id, { version: "7", title: "Mine" }));
		expect(res.status).toBe(409);
		const html = await res.text();
		expect(html).toContain("Version 7 is not in the history");
		expect(formOn(html, `/admin/articles/${id}`)).toMatchObject({ version: "2", title: "Mine" });
	});

	it("refuses a stale trash with 409 and leaves the article alone", async () => {
		const { id } = await createViaForm();
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Changed meanwhile" }));
		const res = await post(`/admin/articles/${id}/trash`, { version: "1" });
		expect(res.status).toBe(409);
		expect(await res.text()).toContain("Nothing done");
		expect((await stored(id))?.deletedAt).toBeNull();
	});
});

describe("a public correction from the form", () => {
	it("offers the note only on a live article, records it, and shows it to readers", async () => {
		const draft = await createViaForm();
		expect(await page(`/admin/articles/${draft.id}`)).not.toContain('name="correction"');

		const { id } = await createViaForm({ intent: "publish", title: "Corrected from the form" });
		const html = await page(`/admin/articles/${id}`);
		expect(html).toContain('name="correction"');
		const res = await post(
			`/admin/articles/${id}`,
			await editForm(id, { intent: "save", correction: "An earlier version misspelt a name.\r\n" }),
		);
		expect(res.status).toBe(303);
		const slug = (await stored(id))?.slug;
		const reader = await (await fetchApp(`/articles/${slug}`)).text();
		expect(reader).toContain("An earlier version misspelt a name.");
		expect(reader).toContain("Corrected <time");
	});

	it("keeps the note and names the problem when the save is refused", async () => {
		const { id } = await createViaForm({ intent: "publish", title: "Refused correction" });
		const res = await post(
			`/admin/articles/${id}`,
			await editForm(id, { intent: "unpublish", correction: "Cannot go with unpublishing." }),
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain("Cannot go with unpublishing.");
		expect(html).toMatch(/readers can see/);
	});
});
