import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSeedStatements } from "../../scripts/seed/build";
import { seedArticles } from "../../scripts/seed/content";
import { renderSeedPictures } from "../../scripts/seed/pictures";
import { fetchApp, resetDb } from "../helpers";

// Issue 15's budget: an article page stays within 14 KB gzipped (the first round trip of a slow
// connection), picture bytes apart, with everything the newsroom adds: byline, lead picture with
// caption and credit, corrections, Related Articles, the JSON-LD and the link-preview tags.
const BUDGET = 14 * 1024;

async function gzippedSize(text: string): Promise<number> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
	return (await new Response(stream).arrayBuffer()).byteLength;
}

describe("article page size", () => {
	beforeAll(async () => {
		await resetDb();
		const pictures = renderSeedPictures().map((p) => p.media);
		await env.DB.batch(buildSeedStatements(Date.now(), pictures).map((sql) => env.DB.prepare(sql)));
	});

	it("every sample article's HTML is at most 14 KB gzipped, the largest with all the newsroom parts", async () => {
		const sizes: { slug: string; gz: number; html: string }[] = [];
		for (const { slug } of seedArticles) {
			const res = await fetchApp(`/articles/${slug}`);
			// The sample content has a scheduled article and a draft: readers get the 404 page.
			if (res.status === 404) continue;
			expect(res.status, slug).toBe(200);
			const html = await res.text();
			sizes.push({ slug, gz: await gzippedSize(html), html });
		}
		expect(sizes.length).toBeGreaterThan(seedArticles.length - 3);
		for (const { slug, gz } of sizes) expect(gz, `${slug}: ${gz} bytes gzipped`).toBeLessThanOrEqual(BUDGET);

		// The budget is met with the heavy parts present, not by pages that lack them.
		const full = sizes.filter(
			({ html }) => html.includes("<figure") && html.includes('id="corrections"') && html.includes("By <a"),
		);
		expect(full.length, "a sample article has a lead picture, a correction and a byline").toBeGreaterThan(0);
		expect(sizes.filter(({ html }) => html.includes("Related Articles")).length).toBe(sizes.length);
	});
});
