import { eq } from "drizzle-orm";
import { HtmlValidate, StaticConfigLoader } from "html-validate/browser";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { DAY, fetchApp, freshTaxa, insertArticle, testDb } from "../../helpers";
import {
	type AdminAuthHeaders,
	adminFetch,
	createEditor,
	expectPrivate,
	flashOf,
	redirectTarget,
	sessionCookie,
} from "../helpers";

// The article screens of the admin, driven as a browser without script would: GET pages, POST
// forms, follow 303s. The service underneath has its own tests; these check the screens.

let admin: AdminAuthHeaders;
let editor: AdminAuthHeaders;
let taxa: Awaited<ReturnType<typeof freshTaxa>>;

beforeEach(async () => {
	taxa = await freshTaxa();
	admin = { cookie: await sessionCookie(await createEditor({ role: "admin", name: "Ada Admin" })) };
	editor = { cookie: await sessionCookie(await createEditor({ role: "editor", name: "Eddie Editor" })) };
});

/** An admin HTML page: status, the never-cache headers and the shape every admin page has. */
async function page(path: string, auth: AdminAuthHeaders = admin, status = 200): Promise<string> {
	const res = await adminFetch(path, auth);
	expect(res.status, path).toBe(status);
	expectPrivate(res);
	expect(res.headers.get("content-type")).toMatch(/^text\/html/);
	const html = await res.text();
	expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
	expect(html).toContain('<html lang="en">');
	expect(html).toMatch(/<meta name="robots" content="noindex"\/?>/);
	expect(html).toContain('<main id="main"');
	expect(html.match(/<h1[\s>]/g)?.length).toBe(1);
	return html;
}

/** A form POST; returns the response after checking the never-cache headers. */
async function post(path: string, form: Record<string, string>, auth: AdminAuthHeaders = admin): Promise<Response> {
	const res = await adminFetch(path, auth, { form });
	expectPrivate(res);
	return res;
}

function articleForm(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		title: "Rare earth magnet plant opens",
		slug: "",
		summary: "A new plant in Baotou.",
		region: "china",
		topic: "energy",
		bodyMarkdown: "First paragraph.\n\nSecond paragraph.",
		publishedAt: "",
		intent: "draft",
		...overrides,
	};
}

async function stored(id: number) {
	const [row] = await testDb().select().from(schema.articles).where(eq(schema.articles.id, id));
	return row;
}

async function articleCount(): Promise<number> {
	return (await testDb().select().from(schema.articles)).length;
}

/** Creates an article through the form and returns its id and the redirect target. */
async function createViaForm(overrides: Record<string, string> = {}): Promise<{ id: number; location: string }> {
	const res = await post("/admin/articles", articleForm(overrides));
	expect(res.status).toBe(303);
	const location = res.headers.get("location") ?? "";
	const match = /^\/admin\/articles\/(\d+)\?/.exec(location);
	expect(match, location).not.toBeNull();
	return { id: Number(match?.[1]), location };
}

/** The edit form's fields for an article as stored, ready to POST back with changes. */
async function editForm(id: number, overrides: Record<string, string>): Promise<Record<string, string>> {
	const row = await stored(id);
	if (!row) throw new Error("no such article");
	return {
		title: row.title,
		slug: row.slug,
		summary: row.summary,
		region: "china",
		topic: "energy",
		bodyMarkdown: row.bodyMarkdown,
		publishedAt: row.publishedAt === null ? "" : new Date(row.publishedAt).toISOString().slice(0, 16),
		version: String(row.version),
		intent: "save",
		...overrides,
	};
}

/** Text as the page has it, unescaped (hono/jsx escapes & < > " '). */
function unescapeHtml(text: string): string {
	return text
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, "&");
}

/** What a browser would submit from the page's form that posts to `action` (its button aside). */
function formOn(html: string, action: string): Record<string, string> {
	const start = html.indexOf(`method="post" action="${action}"`);
	expect(start, `a form posting to ${action}`).toBeGreaterThan(-1);
	const form = html.slice(start, html.indexOf("</form>", start));
	const fields: Record<string, string> = {};
	for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
		const name = /\bname="([^"]*)"/.exec(input)?.[1];
		if (name) fields[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? "");
	}
	for (const [, name, text] of form.matchAll(/<textarea\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
		// A browser drops the newline right after the start tag.
		fields[name as string] = unescapeHtml((text ?? "").replace(/^\n/, ""));
	}
	for (const [, name, options] of form.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
		fields[name as string] = unescapeHtml(/<option value="([^"]*)" selected/.exec(options ?? "")?.[1] ?? "");
	}
	return fields;
}

/** The line under the editor's heading: version, times, where the article stands. */
function metaLine(html: string): string {
	return /<p class="muted">Version \d+ · updated [\s\S]*?<\/p>/.exec(html)?.[0] ?? "";
}

async function countsOf(id: number) {
	const revisions = await testDb()
		.select()
		.from(schema.articleRevisions)
		.where(eq(schema.articleRevisions.articleId, id));
	const audit = await testDb().select().from(schema.auditLog);
	return { revisions: revisions.length, audit: audit.length };
}

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

describe("trash, restore and permanent delete", () => {
	it("moves to the trash and restores", async () => {
		const { id } = await createViaForm({ intent: "publish" });
		const trash = await post(`/admin/articles/${id}/trash`, { version: String((await stored(id))?.version) });
		expect(trash.status).toBe(303);
		expect(redirectTarget(trash).path).toBe(`/admin/articles/${id}`);
		expect((await stored(id))?.deletedAt).not.toBeNull();
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(404);

		const html = await page(redirectTarget(trash).location);
		expect(flashOf(html)?.text).toMatch(/^Moved to the trash \(version \d+\)\. Cache: /);
		expect(html).toMatch(/badge-trash">In trash</);
		expect(html).toContain(`action="/admin/articles/${id}/restore"`);
		expect(html).toContain(`href="/admin/articles/${id}/delete"`);

		const restore = await post(`/admin/articles/${id}/restore`, { version: String((await stored(id))?.version) });
		expect(restore.status).toBe(303);
		const restored = redirectTarget(restore);
		expect(restored.path).toBe(`/admin/articles/${id}`);
		expect(flashOf(await page(restored.location))?.text).toMatch(/^Restored from the trash \(version \d+\)\. /);
		expect((await stored(id))?.deletedAt).toBeNull();
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(200);
	});

	it("lets an admin delete from the trash after a confirmation page", async () => {
		const { id } = await createViaForm();
		await post(`/admin/articles/${id}/trash`, { version: "1" });
		const confirm = await page(`/admin/articles/${id}/delete`);
		expect(confirm).toContain("Delete permanently?");
		expect(confirm).toContain(`action="/admin/articles/${id}/delete"`);
		expect(await stored(id)).toBeDefined();

		const res = await post(`/admin/articles/${id}/delete`, {});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toMatch(/^\/admin\?flash=/);
		expect(await stored(id)).toBeUndefined();
		const list = await page(res.headers.get("location") as string);
		expect(list).toContain("Deleted permanently.");
	});

	it("refuses a permanent delete to an editor (403) and outside the trash (409)", async () => {
		const { id } = await createViaForm();
		const notTrashed = await post(`/admin/articles/${id}/delete`, {});
		expect(notTrashed.status).toBe(409);
		await post(`/admin/articles/${id}/trash`, { version: "1" });

		const html = await page(`/admin/articles/${id}`, editor);
		expect(html).toContain("Only an admin can delete it permanently.");
		expect(html).not.toContain(`href="/admin/articles/${id}/delete"`);
		expect((await adminFetch(`/admin/articles/${id}/delete`, editor)).status).toBe(403);
		const res = await post(`/admin/articles/${id}/delete`, {}, editor);
		expect(res.status).toBe(403);
		expect(await stored(id)).toBeDefined();
	});
});

describe("revisions", () => {
	it("lists revisions, shows a diff against the current text, and restores one", async () => {
		const { id } = await createViaForm({ title: "First title", bodyMarkdown: "Alpha.\n\nBeta." });
		await post(
			`/admin/articles/${id}`,
			await editForm(id, { title: "Second title", bodyMarkdown: "Alpha.\n\nGamma." }),
			editor,
		);
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Third title" }));

		const list = await page(`/admin/articles/${id}/revisions`);
		for (const version of [1, 2, 3]) expect(list).toContain(`href="/admin/articles/${id}/revisions/${version}"`);
		expect(list.indexOf(`revisions/3"`)).toBeLessThan(list.indexOf(`revisions/1"`));
		expect(list).toContain("Eddie Editor");
		expect(list).toContain("Ada Admin");
		expect(list).toContain("Second title");

		const diff = await page(`/admin/articles/${id}/revisions/1`);
		expect(diff).toMatch(/<del class="diff-line diff-del">.*First title<\/del>/);
		expect(diff).toMatch(/<ins class="diff-line diff-add">.*Third title<\/ins>/);
		expect(diff).toMatch(/<del class="diff-line diff-del">.*Beta\.<\/del>/);
		expect(diff).toMatch(/<ins class="diff-line diff-add">.*Gamma\.<\/ins>/);
		expect(diff).toContain('name="version" value="3"');

		const res = await post(`/admin/articles/${id}/revisions/1/restore`, { version: "3" });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toMatch(new RegExp(`^/admin/articles/${id}\\?flash=`));
		const row = await stored(id);
		expect(row).toMatchObject({ title: "First title", bodyMarkdown: "Alpha.\n\nBeta.", version: 4 });
		expect(await page(res.headers.get("location") as string)).toContain("Earlier version restored (version 4)");
	});

	it("says on the restore form when restoring changes the article's address", async () => {
		const { id } = await createViaForm({ title: "First title", intent: "publish" });
		await post(`/admin/articles/${id}`, await editForm(id, { slug: "second-slug" }));
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Third title" }));

		const moving = await page(`/admin/articles/${id}/revisions/1`);
		expect(moving).toContain(
			"<strong>Restoring also changes the address, from /articles/second-slug to /articles/first-title.</strong> /articles/second-slug will redirect to the restored address.",
		);
		expect(moving).toContain('aria-describedby="restore-note restore-address"');
		// Version 2 already had the current slug.
		expect(await page(`/admin/articles/${id}/revisions/2`)).not.toContain("changes the address");

		expect((await post(`/admin/articles/${id}/revisions/1/restore`, { version: "3" })).status).toBe(303);
		const old = await fetchApp("/articles/second-slug", { redirect: "manual" });
		expect(old.status).toBe(301);
		expect(old.headers.get("location")).toMatch(/\/articles\/first-title$/);

		// A draft never published has no address anyone knows: nothing will redirect.
		const { id: draft } = await createViaForm({ title: "Draft one" });
		await post(`/admin/articles/${draft}`, await editForm(draft, { slug: "draft-two" }));
		expect(await page(`/admin/articles/${draft}/revisions/1`)).toContain(
			"from /articles/draft-two to /articles/draft-one.</strong> It has never been published, so no redirect is kept.",
		);
	});

	it("refuses a restore based on an old version (409) and an unknown revision (404)", async () => {
		const { id } = await createViaForm({ title: "First title" });
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Second title" }));
		const stale = await post(`/admin/articles/${id}/revisions/1/restore`, { version: "1" });
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain("Not restored");
		expect((await stored(id))?.title).toBe("Second title");
		expect((await adminFetch(`/admin/articles/${id}/revisions/99`, admin)).status).toBe(404);
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
