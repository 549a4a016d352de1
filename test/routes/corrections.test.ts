import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";
import { asEditor, call, create, db, type Json, useArticleApiFixture } from "../admin/api/article-helpers";
import { workerAdminFetch } from "../admin/helpers";
import { fetchApp, fetchWorker, insertArticle, isolatedSite } from "../helpers";

// Public corrections: an edit that carries a note records it; the article page, its JSON and
// JSON-LD, /corrections and /corrections.xml show it; an edit without one moves no reader-facing date.

useArticleApiFixture();

async function published(fields: Record<string, unknown> = {}): Promise<Json> {
	return create({ status: "published", publishedAt: new Date(Date.now() - 3_600_000).toISOString(), ...fields });
}

async function page(slug: string): Promise<string> {
	const res = await fetchApp(`/articles/${slug}`);
	expect(res.status).toBe(200);
	return res.text();
}

function jsonLd(html: string): Record<string, unknown> {
	const match = html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s);
	return JSON.parse(match?.[1] ?? "{}");
}

describe("recording a correction", () => {
	it("stores the note with the save's version, and returns it with the article", async () => {
		const made = await published();
		const { res, body } = await call("PATCH", `/articles/${made.id}`, {
			title: "Magnet prices rise 4%",
			correction: "  An earlier version of this article gave the rise as 40%.  ",
			version: made.version,
		});
		expect(res.status, JSON.stringify(body)).toBe(200);
		expect(body.corrections).toEqual([
			{ note: "An earlier version of this article gave the rise as 40%.", at: expect.any(String) },
		]);
		const rows = await db.select().from(schema.articleCorrections);
		expect(rows).toMatchObject([{ articleId: made.id, version: made.version + 1 }]);
		const audit = await db.select().from(schema.auditLog);
		expect(JSON.parse(audit.at(-1)?.detail ?? "{}")).toMatchObject({
			correction: "An earlier version of this article gave the rise as 40%.",
		});
	});

	it("takes a note on its own as a change (a new version), since the fix may have been saved before", async () => {
		const made = await published();
		const { res, body } = await call("PATCH", `/articles/${made.id}`, {
			correction: "The fix above was made at 14:00.",
			version: made.version,
		});
		expect(res.status).toBe(200);
		expect(body.version).toBe(made.version + 1);
		expect(body.purge).not.toBeNull();
	});

	it("treats an empty or null note as none: an unchanged save writes nothing", async () => {
		const made = await published();
		for (const correction of ["", "   ", null]) {
			const { res, body } = await call("PATCH", `/articles/${made.id}`, { correction, version: made.version });
			expect(res.status).toBe(200);
			expect(body.version).toBe(made.version);
		}
		expect(await db.select().from(schema.articleCorrections)).toEqual([]);
	});

	it("refuses a note on a draft, a scheduled article, one being unpublished, or a new article", async () => {
		const draft = await create({ slug: "a-draft" });
		const scheduled = await create({
			slug: "a-scheduled-one",
			status: "published",
			publishedAt: new Date(Date.now() + 86_400_000).toISOString(),
		});
		const live = await published({ slug: "a-live-one" });
		const attempts: [number, Record<string, unknown>][] = [
			[draft.id, { correction: "x", version: draft.version }],
			[scheduled.id, { correction: "x", version: scheduled.version }],
			[live.id, { correction: "x", status: "draft", version: live.version }],
		];
		for (const [id, json] of attempts) {
			const { res, body } = await call("PATCH", `/articles/${id}`, json);
			expect(res.status).toBe(400);
			expect(body.error.fields?.correction).toMatch(/readers can see/);
		}
		const { res, body } = await call("POST", "/articles", {
			title: "New",
			summary: "S",
			bodyMarkdown: "B",
			correction: "x",
		});
		expect(res.status).toBe(400);
		expect(body.error.fields?.correction).toMatch(/nothing to correct/);
		expect(await db.select().from(schema.articleCorrections)).toEqual([]);
	});

	it("refuses a note that is not text or is too long, naming the field", async () => {
		const made = await published();
		for (const correction of [42, ["a"], { note: "a" }, "x".repeat(1001)]) {
			const { res, body } = await call("PATCH", `/articles/${made.id}`, { correction, version: made.version });
			expect(res.status).toBe(400);
			expect(body.error.fields?.correction).toBeTruthy();
		}
		const { res } = await call("PATCH", `/articles/${made.id}`, {
			correction: "x".repeat(1000),
			version: made.version,
		});
		expect(res.status).toBe(200);
	});

	it("writes nothing when the save loses a race (stale version)", async () => {
		const made = await published();
		await call("PATCH", `/articles/${made.id}`, { title: "Someone else's edit", version: made.version });
		const { res } = await call("PATCH", `/articles/${made.id}`, { correction: "Mine", version: made.version });
		expect(res.status).toBe(409);
		expect(await db.select().from(schema.articleCorrections)).toEqual([]);
	});
});

describe("what readers see", () => {
	it("an edit without a note moves no reader-facing date; the JSON updatedAt still moves", async () => {
		const made = await published();
		const before = await page(made.slug);
		expect(before).not.toContain("Updated");
		await new Promise((r) => setTimeout(r, 5));
		const { body } = await call("PATCH", `/articles/${made.id}`, { bodyMarkdown: "Fixed a typo.", version: 1 });
		const html = await page(made.slug);
		expect(html).not.toContain("Updated");
		expect(html).not.toContain("Corrected");
		expect(jsonLd(html).dateModified).toBe(made.publishedAt);
		expect(html).toContain(`<meta property="article:modified_time" content="${made.publishedAt}"/>`);
		const api = (await (await fetchApp(`/api/articles/${made.slug}`)).json()) as Record<string, unknown>;
		expect(api.updatedAt).toBe(body.updatedAt);
		expect(api.updatedAt).not.toBe(made.publishedAt);
		expect(api.corrections).toEqual([]);
	});

	it("shows every correction oldest first, and moves Updated and dateModified to the newest", async () => {
		const made = await published();
		const first = await call("PATCH", `/articles/${made.id}`, { correction: "First <fix> & more.", version: 1 });
		await new Promise((r) => setTimeout(r, 5));
		const second = await call("PATCH", `/articles/${made.id}`, { correction: "Second fix.", version: 2 });
		const [a, b] = second.body.corrections as { note: string; at: string }[];
		expect(a?.note).toBe("First <fix> & more.");
		expect(b?.note).toBe("Second fix.");
		expect(first.body.corrections).toHaveLength(1);

		const html = await page(made.slug);
		expect(html.indexOf("First &lt;fix&gt; &amp; more.")).toBeGreaterThan(0);
		expect(html.indexOf("First &lt;fix&gt;")).toBeLessThan(html.indexOf("Second fix."));
		expect(html.match(/Corrected <time/g)).toHaveLength(2);
		expect(html).toContain(`Updated <time datetime="${b?.at}"`);
		expect(jsonLd(html).dateModified).toBe(b?.at);

		const api = (await (await fetchApp(`/api/articles/${made.slug}`)).json()) as Record<string, unknown>;
		expect(api.corrections).toEqual([a, b]);
	});

	it("/corrections lists corrections newest first, only of articles readers can see, with pages", async () => {
		const one = await published({ title: "First story", slug: "first-story" });
		const two = await published({ title: "Second story", slug: "second-story" });
		await call("PATCH", `/articles/${one.id}`, { correction: "Note on one.", version: 1 });
		await call("PATCH", `/articles/${two.id}`, { correction: "Note on two.", version: 1 });
		const html = await (await fetchApp("/corrections")).text();
		expect(html.indexOf("Note on two.")).toBeGreaterThan(0);
		expect(html.indexOf("Note on two.")).toBeLessThan(html.indexOf("Note on one."));
		expect(html).toContain(`href="/articles/${one.slug}#corrections"`);
		expect(html).toContain('href="/corrections.xml"');

		// Trashed: its corrections leave the public log with it.
		expect((await call("DELETE", `/articles/${two.id}?version=2`)).res.status).toBe(200);
		const after = await (await fetchApp("/corrections")).text();
		expect(after).not.toContain("Note on two.");
		expect(after).toContain("Note on one.");
	});

	it("/corrections pages by cursor and refuses a forged one", async () => {
		const made = await published();
		let version = made.version;
		for (let i = 0; i < 22; i++) {
			const { body } = await call("PATCH", `/articles/${made.id}`, { correction: `Fix number ${i}.`, version });
			version = body.version;
		}
		const first = await (await fetchApp("/corrections")).text();
		expect(first).toContain("Fix number 21.");
		const next = first.match(/href="\/corrections\?cursor=([^"]+)"/)?.[1];
		expect(next).toBeTruthy();
		const second = await (await fetchApp(`/corrections?cursor=${next}`)).text();
		const numbers = (text: string) => [...text.matchAll(/Fix number (\d+)\./g)].map((m) => Number(m[1]));
		const seen = [...numbers(first), ...numbers(second)];
		expect(new Set(seen).size).toBe(22);
		expect(seen).toEqual([...seen].sort((x, y) => y - x));
		const bad = await fetchApp("/corrections?cursor=bogus");
		expect(bad.status).toBe(400);
	});

	it("/corrections.xml is RSS with one item per correction, escaped", async () => {
		const made = await published({ title: "Rates & <risks>" });
		await call("PATCH", `/articles/${made.id}`, { correction: "Said 5 < 6 wrongly.", version: 1 });
		const res = await fetchApp("/corrections.xml");
		expect(res.headers.get("content-type")).toMatch(/^application\/rss\+xml/);
		const xml = await res.text();
		expect(xml).toContain("<title>Correction: Rates &amp; &lt;risks&gt;</title>");
		expect(xml).toContain("<description>Said 5 &lt; 6 wrongly.</description>");
		expect(xml).toMatch(
			/<guid isPermaLink="false">https:\/\/samarium\.test\/articles\/[a-z0-9-]+#correction-\d+<\/guid>/,
		);
		expect(xml.match(/<item>/g)).toHaveLength(1);
	});

	it("an empty log says so, in HTML and as a valid empty feed", async () => {
		const html = await (await fetchApp("/corrections")).text();
		expect(html).toContain("No article has needed a correction yet.");
		const xml = await (await fetchApp("/corrections.xml")).text();
		expect(xml).toContain("<channel>");
		expect(xml).not.toContain("<item>");
	});
});

describe("cache", () => {
	it("a correction purges the article, the log and its feed", async () => {
		const made = await published();
		const { body } = await call("PATCH", `/articles/${made.id}`, { correction: "Fixed.", version: 1 });
		expect(body.purge.tags).toEqual(expect.arrayContaining([`article:${made.slug}`, "corrections"]));
		expect(body.purge.keys).toEqual(
			expect.arrayContaining(["https://samarium.test/corrections", "https://samarium.test/corrections.xml"]),
		);
	});

	it("the log is cached as a list and purged on the next correction", async () => {
		const bindings = isolatedSite();
		const made = await published();
		const miss = await fetchWorker("/corrections", undefined, bindings);
		expect(miss.headers.get("cache-control")).toMatch(/max-age/);
		expect((await fetchWorker("/corrections", undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		const res = await workerAdminFetch(
			`/api/admin/articles/${made.id}`,
			asEditor,
			{ method: "PATCH", json: { correction: "Fresh note.", version: 1 } },
			bindings,
		);
		expect(res.status).toBe(200);
		for (const path of ["/corrections", "/corrections.xml", `/articles/${made.slug}`]) {
			expect(await (await fetchWorker(path, undefined, bindings)).text()).toContain("Fresh note.");
		}
	});
});

// Seeded rows (not through the API) are shown too: the log reads the table, not the audit.
it("shows corrections written straight to the table (the seed's)", async () => {
	const article = await insertArticle({ title: "Seeded" });
	await db.insert(schema.articleCorrections).values({
		articleId: article.id,
		version: 1,
		note: "Seeded note.",
		at: Date.now() - 1000,
		editorId: null,
	});
	expect(await (await fetchApp("/corrections")).text()).toContain("Seeded note.");
	expect(env.DB).toBeDefined();
	expect(asEditor).toBeDefined();
});
