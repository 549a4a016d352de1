import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchApp, freshTaxa, insertArticle, testDb } from "../../helpers";
import { jpeg, png } from "../../image-fixtures";
import { clearBucket, upload, uploaded } from "../../media-helpers";
import { adminFetch, expectHtml, flashOf, redirectTarget, signedInAdminAndEditor } from "../helpers";

// The picture library's admin screen, driven as a browser without script would: a multipart form
// to upload, the list with each picture's Markdown, and delete (refused while articles use it).

let editor: { cookie: string };

beforeEach(async () => {
	await freshTaxa();
	await clearBucket();
	({ editor } = await signedInAdminAndEditor());
});

describe("/admin/media", () => {
	it("is in the admin's menu and shows the upload form with a labelled, required alt field", async () => {
		const res = await adminFetch("/admin/media", editor);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<a href="/admin/media" aria-current="page">Media</a>');
		expect(html).toContain('<form class="form" method="post" action="/admin/media" enctype="multipart/form-data">');
		expect(html).toContain('<label for="media-alt">Alt text (required)</label>');
		expect(html).toMatch(/<input type="text" id="media-alt" name="alt" value="" required/);
		expect(html).toMatch(
			/<input type="file" id="media-file" name="file" accept="image\/jpeg,image\/png,image\/webp,image\/avif" required/,
		);
		expect(html).toContain("No pictures yet.");
	});

	it("uploads through the form, then lists the picture with its Markdown to copy", async () => {
		const res = await upload(editor, png(120, 80), {
			path: "/admin/media",
			alt: "A chart of prices",
			caption: "Prices",
		});
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/media");
		const next = await adminFetch(location, editor);
		const html = await next.text();
		expect(flashOf(html)).toEqual({ kind: "ok", text: "Uploaded “A chart of prices” (120×80)." });
		const [row] = await testDb().select().from(schema.media);
		const snippet = `![A chart of prices](/media/${row?.id}.png)`;
		expect(html).toContain(`value="${snippet}" readonly`);
		expect(html).toContain(
			`<img class="media-thumb" src="/media/${row?.id}.png" alt="A chart of prices" width="120" height="80"`,
		);
		expect(html).toContain("Caption: Prices");
	});

	it("shows a refused upload on the form again, with what was typed (400), and a file too large (413)", async () => {
		const noAlt = await upload(editor, png(5, 5), { path: "/admin/media", alt: "", caption: "Kept caption" });
		expectHtml(noAlt, 400);
		const html = await noAlt.text();
		expect(html).toContain('class="field-error" id="media-alt-error"');
		expect(html).toContain('value="Kept caption"');

		const notImage = await upload(editor, "plain text", { path: "/admin/media", name: "x.png" });
		expectHtml(notImage, 400);
		expect(await notImage.text()).toContain("The file is not a JPEG, PNG, WebP or AVIF image.");

		const huge = new Uint8Array(10 * 1024 * 1024 + 1);
		huge.set(png(1, 1));
		const tooLarge = await upload(editor, huge, { path: "/admin/media" });
		expectHtml(tooLarge, 413);
		expect(await tooLarge.text()).toContain("A picture may be at most 10 MiB.");
	});

	it("escapes hostile alt text everywhere it shows", async () => {
		const alt = `"><script>alert(1)</script>`;
		await uploaded(editor, png(9, 9), { alt });
		const html = await (await adminFetch("/admin/media", editor)).text();
		expect(html).not.toContain("<script>alert(1)</script>");
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
	});

	it("deletes an unused picture; refuses (409) one in use, listing the articles as links", async () => {
		const unused = await uploaded(editor, png(10, 10), { alt: "Unused" });
		const res = await adminFetch(`/admin/media/${unused.id}/delete`, editor, { form: {} });
		const next = await adminFetch(redirectTarget(res).location, editor);
		expect(flashOf(await next.text())?.text).toMatch(/^Deleted “Unused”\./);
		expect(await env.MEDIA.head(`${unused.id}.png`)).toBeNull();

		const used = await uploaded(editor, jpeg(20, 10), { alt: "Used" });
		const article = await insertArticle({ title: "Uses <it>", leadImageId: used.id });
		const refused = await adminFetch(`/admin/media/${used.id}/delete`, editor, { form: {} });
		expectHtml(refused, 409);
		const html = await refused.text();
		expect(html).toContain("Not deleted: “Used” is used by this article.");
		expect(html).toContain(
			`<a href="/admin/articles/${article.id}">Uses &lt;it&gt;</a> (<code>${article.slug}</code>)`,
		);
		expect(await env.MEDIA.head(`${used.id}.jpg`)).not.toBeNull();
	});

	it("needs a session, and a same-origin form", async () => {
		const anonymous = await fetchApp("/admin/media");
		expect(anonymous.status).toBe(302);
		const crossSite = await upload(editor, png(5, 5), { path: "/admin/media", origin: "https://evil.example" });
		expectHtml(crossSite, 403);
		expect(await testDb().select().from(schema.media)).toHaveLength(0);
	});
});

describe("/admin/media/:id", () => {
	it("edits a picture's words without script; a blank alt comes back with the error (400); unknown: 404", async () => {
		const picture = await uploaded(editor, png(30, 20), { alt: "Before" });
		await insertArticle({ slug: "led", leadImageId: picture.id });
		const form = await adminFetch(`/admin/media/${picture.id}`, editor);
		expectHtml(form, 200);
		expect(await form.text()).toContain(`<form class="form" method="post" action="/admin/media/${picture.id}">`);

		const res = await adminFetch(`/admin/media/${picture.id}`, editor, {
			form: { alt: "After", caption: "New caption", credit: "" },
		});
		const next = await adminFetch(redirectTarget(res).location, editor);
		expect(flashOf(await next.text())?.text).toMatch(/^Saved “After”\./);
		expect(await (await fetchApp("/articles/led")).text()).toContain("<figcaption>New caption</figcaption>");

		const blank = await adminFetch(`/admin/media/${picture.id}`, editor, { form: { alt: " ", caption: "Kept" } });
		expectHtml(blank, 400);
		expect(await blank.text()).toContain('value="Kept"');
		expectHtml(await adminFetch(`/admin/media/${"0".repeat(32)}`, editor), 404);
		expectHtml(await adminFetch("/admin/media/..%2f..%2fetc", editor), 404);
	});
});

describe("the article form's lead image", () => {
	it("offers the library's pictures by alt text, and saves the choice without script", async () => {
		const picture = await uploaded(editor, png(640, 360), { alt: "Magnet line" });
		const html = await (await adminFetch("/admin/articles/new", editor)).text();
		expect(html).toContain('<label for="leadImage">Lead image</label>');
		expect(html).toContain(`<option value="${picture.id}">Magnet line (640×360)</option>`);
		const res = await adminFetch("/admin/articles", editor, {
			form: {
				title: "With a picture",
				summary: "S.",
				bodyMarkdown: "Body.",
				leadImage: picture.id,
				intent: "draft",
			},
		});
		expect(res.status).toBe(303);
		const [row] = await testDb().select().from(schema.articles);
		expect(row?.leadImageId).toBe(picture.id);
		const edit = await (await adminFetch(`/admin/articles/${row?.id}`, editor)).text();
		expect(edit).toContain(`<option value="${picture.id}" selected="">Magnet line (640×360)</option>`);
	});
});

describe("markup", () => {
	it("the library, a refused delete and an article page with a lead image are valid HTML", async () => {
		const { HtmlValidate, StaticConfigLoader } = await import("html-validate/browser");
		const validator = new HtmlValidate(new StaticConfigLoader({ extends: ["html-validate:standard"] }));
		const expectValid = async (html: string, name: string) => {
			const report = await validator.validateString(html, name);
			expect(report.results.flatMap((r) => r.messages.map((m) => `${name} ${m.ruleId}: ${m.message}`))).toEqual([]);
		};
		const picture = await uploaded(editor, jpeg(1200, 800), {
			alt: "Magnets on a bench",
			caption: "In the lab",
			credit: "Photo: Samarium",
		});
		await insertArticle({ slug: "with-lead", title: "With a lead", leadImageId: picture.id });
		await expectValid(await (await adminFetch("/admin/media", editor)).text(), "/admin/media");
		const refused = await adminFetch(`/admin/media/${picture.id}/delete`, editor, { form: {} });
		await expectValid(await refused.text(), "refused delete");
		await expectValid(await (await adminFetch(`/admin/media/${picture.id}`, editor)).text(), "/admin/media/:id");
		await expectValid(await (await fetchApp("/articles/with-lead")).text(), "/articles/with-lead");
		await expectValid(
			await (await fetchApp("/articles/with-lead", undefined, { ...env, IMAGE_RESIZING: "on" })).text(),
			"/articles/with-lead (resizing)",
		);
	});
});
