import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchApp, fetchWorker, isolatedSite } from "../../helpers";
import { jpeg, png } from "../../image-fixtures";
import { clearBucket, uploaded } from "../../media-helpers";
import { asEditor, call, create, db, NEW, useArticleApiFixture } from "./article-helpers";

// An article's lead image and the library pictures its body embeds: the write path (create, PATCH,
// article_media), the JSON, and what readers get (the figure, og:image, JSON-LD, srcset).

useArticleApiFixture();

let lead: { id: string; url: string };
let inline: { id: string; url: string };

beforeEach(async () => {
	await clearBucket();
	lead = await uploaded(asEditor, jpeg(1600, 900), {
		alt: "Magnets <b>on</b> a bench",
		caption: "A recycling line in Ganzhou.",
		credit: "Photo: Samarium",
	});
	inline = await uploaded(asEditor, png(300, 200), { alt: "A chart" });
});

async function usedBy(articleId: number): Promise<string[]> {
	const rows = await db.select().from(schema.articleMedia).where(eq(schema.articleMedia.articleId, articleId));
	return rows.map((r) => r.mediaId).sort();
}

const LEAD_JSON = () => ({
	url: `https://samarium.test/media/${lead.id}.jpg`,
	width: 1600,
	height: 900,
	alt: "Magnets <b>on</b> a bench",
	caption: "A recycling line in Ganzhou.",
	credit: "Photo: Samarium",
});

describe("lead image: the write path", () => {
	it("is set on create, returned with its id, and recorded as a picture the article uses", async () => {
		const body = await create({ leadImage: lead.id });
		expect(body.leadImage).toEqual({ id: lead.id, ...LEAD_JSON() });
		expect(await usedBy(body.id)).toEqual([lead.id]);
		const [row] = await db.select().from(schema.articles).where(eq(schema.articles.id, body.id));
		expect(row?.leadImageId).toBe(lead.id);
	});

	it("is null without one", async () => {
		const body = await create();
		expect(body.leadImage).toBeNull();
		expect(await usedBy(body.id)).toEqual([]);
	});

	it("refuses an unknown or malformed id (400 naming leadImage), writing nothing", async () => {
		for (const leadImage of ["0".repeat(32), "../etc/passwd", 12, { id: lead.id }]) {
			const { res, body } = await call("POST", "/articles", { ...NEW, leadImage });
			expect(res.status, JSON.stringify(leadImage)).toBe(400);
			expect(Object.keys(body.error.fields ?? {})).toEqual(["leadImage"]);
		}
		expect(await db.select().from(schema.articles)).toHaveLength(0);
	});

	it("PATCH without it keeps it, with null removes it, with another id changes it", async () => {
		const created = await create({ leadImage: lead.id, status: "published" });
		const kept = await call("PATCH", `/articles/${created.id}`, { version: 1, title: "New title" });
		expect(kept.res.status).toBe(200);
		expect(kept.body.leadImage).toMatchObject({ id: lead.id });
		expect(await usedBy(created.id)).toEqual([lead.id]);

		const changed = await call("PATCH", `/articles/${created.id}`, { version: 2, leadImage: inline.id });
		expect(changed.body.leadImage).toMatchObject({ id: inline.id, width: 300, height: 200 });
		expect(await usedBy(created.id)).toEqual([inline.id]);
		// A live article's lead image is on its page: the change purges it like any edit.
		expect(changed.body.purge.keys).toContain(`https://samarium.test/articles/${created.slug}`);
		expect(changed.body.purge.keys).toContain(`https://samarium.test/api/articles/${created.slug}`);

		const removed = await call("PATCH", `/articles/${created.id}`, { version: 3, leadImage: null });
		expect(removed.body.leadImage).toBeNull();
		expect(await usedBy(created.id)).toEqual([]);
		const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, "article.update"));
		expect(audit.map((a) => JSON.parse(a.detail).changed)).toContainEqual(["leadImage"]);
	});

	it("PATCH with an unknown id is refused (400) and changes nothing", async () => {
		const created = await create({ leadImage: lead.id });
		const { res, body } = await call("PATCH", `/articles/${created.id}`, { version: 1, leadImage: "f".repeat(32) });
		expect(res.status).toBe(400);
		expect(body.error.fields?.leadImage).toMatch(/no picture/);
		expect(await usedBy(created.id)).toEqual([lead.id]);
	});

	it("records the library pictures the body embeds, and gives them their size and lazy loading", async () => {
		const bodyMarkdown = `Intro.\n\n![A chart](/media/${inline.id}.png)\n\n![Elsewhere](https://example.com/x.png) ![Gone](/media/${"e".repeat(32)}.png)`;
		const created = await create({ bodyMarkdown, leadImage: lead.id });
		expect(await usedBy(created.id)).toEqual([lead.id, inline.id].sort());
		const html = created.bodyHtml as string;
		expect(html).toContain(
			`<img src="/media/${inline.id}.png" alt="A chart" width="300" height="200" loading="lazy" decoding="async">`,
		);
		expect(html).toContain('<img src="https://example.com/x.png" alt="Elsewhere">');
		expect(html).not.toMatch(/Gone" width/);

		// Taken out of the body: no longer used.
		await call("PATCH", `/articles/${created.id}`, { version: 1, bodyMarkdown: "No pictures." });
		expect(await usedBy(created.id)).toEqual([lead.id]);
	});

	it("a picture in use cannot be deleted (409 naming the article); once unused it can", async () => {
		const created = await create({ leadImage: lead.id, title: "Lead story" });
		const refused = await call("DELETE", `/media/${lead.id}`);
		expect(refused.res.status).toBe(409);
		expect(refused.body.error.message).toContain(`“Lead story” (${created.slug})`);
		await call("PATCH", `/articles/${created.id}`, { version: 1, leadImage: null });
		const deleted = await call("DELETE", `/media/${lead.id}`);
		expect(deleted.res.status).toBe(200);
		expect(deleted.body.purge.keys).toEqual([`https://samarium.test/media/${lead.id}.jpg`]);
		expect(await env.MEDIA.head(`${lead.id}.jpg`)).toBeNull();
	});
});

describe("lead image: what readers get", () => {
	async function publishedWithLead(): Promise<string> {
		const created = await create({ leadImage: lead.id, status: "published", title: "Lead story" });
		return created.slug;
	}

	it("Article JSON carries leadImage (absolute url), or null", async () => {
		const slug = await publishedWithLead();
		const body = (await (await fetchApp(`/api/articles/${slug}`)).json()) as { leadImage: unknown };
		expect(body.leadImage).toEqual(LEAD_JSON());
		const plain = await create({ status: "published", title: "No picture" });
		const none = (await (await fetchApp(`/api/articles/${plain.slug}`)).json()) as { leadImage: unknown };
		expect(none.leadImage).toBeNull();
	});

	it("the page shows a figure above the body: sized, fetched first, captioned; og:image, large card, JSON-LD image", async () => {
		const slug = await publishedWithLead();
		const html = await (
			await fetchWorker(`/articles/${slug}`, undefined, isolatedSite({ IMAGE_RESIZING: "off" }))
		).text();
		const figure = html.match(/<figure class="lead">.*?<\/figure>/s)?.[0] ?? "";
		expect(figure).toContain(`src="/media/${lead.id}.jpg"`);
		expect(figure).toContain('width="1600" height="900"');
		expect(figure).toContain('alt="Magnets &lt;b&gt;on&lt;/b&gt; a bench"');
		expect(figure).toContain('fetchpriority="high"');
		expect(figure).not.toContain("loading=");
		expect(figure).not.toContain("srcset");
		expect(figure).toContain(
			'<figcaption>A recycling line in Ganzhou. <span class="credit">Photo: Samarium</span></figcaption>',
		);
		expect(html.indexOf('<figure class="lead">')).toBeLessThan(html.indexOf('<div class="prose">'));
		expect(html).not.toContain("<b>on</b>");

		expect(html).toMatch(/<meta property="og:image" content="https:\/\/[^"]+\/media\/[0-9a-f]{32}\.jpg"/);
		expect(html).toContain('<meta name="twitter:card" content="summary_large_image"');
		const ld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)?.[1] ?? "{}");
		expect(ld.image).toMatchObject({ "@type": "ImageObject", width: 1600, height: 900 });
		expect(ld.image.url).toMatch(/^https:\/\/.+\/media\/[0-9a-f]{32}\.jpg$/);
	});

	it("offers resized widths through Image Resizing when IMAGE_RESIZING is on, none above the original", async () => {
		const slug = await publishedWithLead();
		const html = await (
			await fetchWorker(`/articles/${slug}`, undefined, isolatedSite({ IMAGE_RESIZING: "on" }))
		).text();
		const img = html.match(/<figure class="lead"><img[^>]*>/)?.[0] ?? "";
		const path = `/media/${lead.id}.jpg`;
		expect(img).toContain(
			`srcset="/cdn-cgi/image/width=480,format=auto${path} 480w, /cdn-cgi/image/width=800,format=auto${path} 800w, /cdn-cgi/image/width=1200,format=auto${path} 1200w, ${path} 1600w"`,
		);
		expect(img).toContain('sizes="');
		expect(img).toContain(`src="${path}"`);
	});

	it("an article without a lead image keeps the small card and no og:image", async () => {
		const plain = await create({ status: "published", title: "No picture" });
		const html = await (await fetchWorker(`/articles/${plain.slug}`, undefined, isolatedSite())).text();
		expect(html).not.toContain("og:image");
		expect(html).toContain('<meta name="twitter:card" content="summary"');
		expect(html).not.toContain('<figure class="lead">');
	});
});
