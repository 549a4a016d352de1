import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { listTaxonIndex } from "../../src/db/queries/taxonomies";
import * as schema from "../../src/db/schema";
import { bearerToken, createEditor } from "../admin/helpers";
import {
	countingD1,
	DAY,
	fetchApp,
	fetchWorker,
	freshTaxa,
	insertArticle,
	isolatedSite,
	rowsReadOf,
	type TestTaxa,
	testDb,
} from "../helpers";

// /topics and /regions: every topic (region) with its description, its count of visible articles
// and its newest visible headline; what they read; how the cache keeps them current.

const HOUR = 3_600_000;
let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

/** The index's entries as a reader sees them: one <li class="card"> each. */
function cards(html: string): string[] {
	return [...html.matchAll(/<li class="card">([\s\S]*?)<\/li>/g)].map((m) => m[1] ?? "");
}

async function describeTaxon(table: typeof schema.topics | typeof schema.regions, slug: string, text: string) {
	await testDb().update(table).set({ description: text }).where(eq(table.slug, slug));
}

describe("GET /topics and /regions", () => {
	it("lists every topic by name, with its description, its visible articles' count and its newest headline", async () => {
		const now = Date.now();
		const energy = taxa.topic.energy;
		await describeTaxon(schema.topics, "energy", "Grids, storage & <power> plants.");
		await insertArticle({ slug: "older", title: "Older news", topicId: energy, publishedAt: now - 2 * DAY });
		await insertArticle({ slug: "newest", title: "Newest <b>news</b>", topicId: energy, publishedAt: now - HOUR });
		// None of these count, nor can be the newest.
		await insertArticle({ slug: "draft", title: "A draft", topicId: energy, status: "draft", publishedAt: null });
		await insertArticle({ slug: "scheduled", title: "Tomorrow", topicId: energy, publishedAt: now + DAY });
		await insertArticle({ slug: "trashed", title: "Trashed", topicId: energy, publishedAt: now, deletedAt: now });
		await insertArticle({ slug: "recycled", title: "Recycled", topicId: taxa.topic.recycling, publishedAt: now - DAY });

		const res = await fetchApp("/topics");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
		const html = await res.text();
		expect(html).toContain("<h1>Topics</h1>");
		expect(html).toContain('<link rel="canonical" href="https://samarium.test/topics"/>');
		const [automotive, energyCard, recycling] = cards(html);
		// By name: Automotive, Energy, Recycling.
		expect(automotive).toContain('<a href="/topics/automotive">Automotive</a>');
		expect(automotive).toContain("No articles yet");
		expect(automotive).not.toContain("Latest");
		expect(energyCard).toContain('<a href="/topics/energy">Energy</a>');
		expect(energyCard).toContain("Grids, storage &amp; &lt;power&gt; plants.");
		expect(energyCard).toContain("2 articles");
		expect(energyCard).toContain('<a href="/articles/newest">Newest &lt;b&gt;news&lt;/b&gt;</a>');
		expect(energyCard).toContain(`<time datetime="${new Date(now - HOUR).toISOString()}">`);
		for (const hidden of ["A draft", "Tomorrow", "Trashed", "Older news"]) expect(energyCard).not.toContain(hidden);
		expect(recycling).toContain("1 article<");
		expect(recycling).toContain('<a href="/articles/recycled">Recycled</a>');
	});

	it("does the same for regions", async () => {
		await describeTaxon(schema.regions, "china", "Mines, refineries and export rules.");
		await insertArticle({ slug: "from-china", title: "From China", regionId: taxa.region.china });
		const html = await (await fetchApp("/regions")).text();
		expect(html).toContain("<h1>Regions</h1>");
		const [china, global, us] = cards(html);
		expect(china).toContain('<a href="/regions/china">China</a>');
		expect(china).toContain("Mines, refineries and export rules.");
		expect(china).toContain('<a href="/articles/from-china">From China</a>');
		expect(global).toContain("No articles yet");
		expect(us).toContain('<a href="/regions/united-states">United States</a>');
	});

	it("says so when there are none at all", async () => {
		await env.DB.prepare("DELETE FROM topics").run();
		const res = await fetchApp("/topics");
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("Nothing here yet.");
	});

	it("are linked from the site header, marked current on their own page", async () => {
		const home = await (await fetchApp("/")).text();
		expect(home).toContain('<a href="/topics">Topics</a>');
		expect(home).toContain('<a href="/regions">Regions</a>');
		const topics = await (await fetchApp("/topics")).text();
		expect(topics).toContain('<a href="/topics" aria-current="page">Topics</a>');
		expect(topics).toContain('<a href="/regions">Regions</a>');
	});

	it("a trailing slash redirects, and only GET and HEAD are answered", async () => {
		const slashed = await fetchApp("/topics/");
		expect(slashed.status).toBe(301);
		expect(slashed.headers.get("location")).toBe("/topics");
		expect((await fetchApp("/regions", { method: "POST" })).status).toBe(405);
	});
});

describe("the index query", () => {
	it("agrees with a count and a newest straight from the table", async () => {
		const now = Date.now();
		for (let i = 0; i < 12; i++) {
			await insertArticle({
				topicId: [taxa.topic.energy, taxa.topic.recycling, null][i % 3],
				status: i % 5 === 4 ? "draft" : "published",
				// Two share a time: the higher id is the newer, as in every list.
				publishedAt: i % 5 === 4 ? null : now - Math.floor(i / 2) * HOUR,
			});
		}
		const rows = await listTaxonIndex(testDb(), "topic", now);
		for (const row of rows) {
			const { results } = await env.DB.prepare(
				`SELECT a.slug FROM articles a JOIN topics t ON t.id = a.topic_id
				WHERE t.slug = ?1 AND a.status = 'published' AND a.deleted_at IS NULL AND a.published_at <= ?2
				ORDER BY a.published_at DESC, a.id DESC`,
			)
				.bind(row.slug, now)
				.all<{ slug: string }>();
			expect(row.articleCount, row.slug).toBe(results.length);
			expect(row.newestSlug, row.slug).toBe(results[0]?.slug ?? null);
		}
		expect(rows.map((r) => r.slug)).toEqual(["automotive", "energy", "recycling"]);
	});

	// Per taxon: the count reads its range of the taxon's index (entries only, no article rows), the
	// newest is one seek into it and one read by rowid. So the page reads about one index entry per
	// visible article, plus a few rows per taxon: bounded by the archive's size, and rendered only
	// when a purge or its minute in the cache runs out.
	it.each([
		["topic", "articles_topic_idx"],
		["region", "articles_region_idx"],
	] as const)(
		"the %s index ranges over %s, and reads about one index entry per visible article",
		async (kind, index) => {
			const now = Date.now();
			const visible = 1500;
			await env.DB.prepare(
				`INSERT INTO articles (slug, title, summary, body_markdown, body_html, topic_id, region_id, status, published_at, updated_at, created_at)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
			SELECT 'seeded-' || i, 'Seeded ' || i, 'S.', 'B.', '<p>B.</p>', ?2 + i % 3, ?5 + i % 3,
				CASE WHEN i > ?4 THEN 'draft' ELSE 'published' END, ?3 - i * 60000, ?3, ?3 FROM n`,
			)
				.bind(
					visible + 300,
					Math.min(...Object.values(taxa.topic)),
					now,
					visible,
					Math.min(...Object.values(taxa.region)),
				)
				.run();
			const counted = countingD1(env.DB);
			const res = await fetchApp(`/${kind}s`, undefined, { ...env, DB: counted.db });
			expect(res.status).toBe(200);
			expect(counted.queries).toHaveLength(1);
			const rowsRead = await rowsReadOf(env.DB, counted.queries);
			expect(rowsRead).toBeGreaterThanOrEqual(visible);
			expect(rowsRead).toBeLessThanOrEqual(visible + 3 * 10);

			const q = counted.queries[0];
			if (!q) throw new Error("nothing sent");
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
				.bind(...q.params)
				.all<{ detail: string }>();
			const plan = results.map((r) => r.detail).join("\n");
			const range = new RegExp(
				`SEARCH articles USING (COVERING )?INDEX ${index} \\(${kind}_id=\\? AND status=\\? AND deleted_at=\\? AND published_at<\\?\\)`,
				"g",
			);
			// Two correlated subqueries (the count and the newest), each a range on the taxon's index.
			expect(plan.match(range)?.length, plan).toBe(2);
			// The newest article's row, by its id (the subquery flattened into the join).
			expect(plan).toMatch(/SEARCH (newest|articles) USING INTEGER PRIMARY KEY \(rowid=\?\) LEFT-JOIN/);
			expect(plan).not.toMatch(/SCAN articles|SCAN newest/);
		},
	);
});

describe("the indexes in the cache", () => {
	it("are tagged, and show a publish, a retitle and a description change on the next request", async () => {
		const site = isolatedSite();
		const admin = await createEditor({ role: "admin" });
		const auth = await bearerToken(admin);
		const send = async (method: string, path: string, json: unknown) => {
			const res = await fetchWorker(
				`/api/admin${path}`,
				{ method, headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(json) },
				site,
			);
			expect(res.status, await res.clone().text()).toBeLessThan(300);
			return (await res.json()) as { id: number; version: number };
		};
		const page = async (path: string) => {
			const res = await fetchWorker(path, undefined, site);
			return { cache: res.headers.get("x-cache"), tags: res.headers.get("cache-tag") ?? "", html: await res.text() };
		};

		for (const [path, tag] of [
			["/topics", "index:topics"],
			["/regions", "index:regions"],
		] as const) {
			const first = await page(path);
			expect(first.cache).toBe("MISS");
			expect(first.tags.split(",")).toContain(tag);
			expect((await page(path)).cache).toBe("HIT");
		}

		const made = await send("POST", "/articles", {
			title: "Grid batteries",
			summary: "S.",
			bodyMarkdown: "B.",
			region: "china",
			topic: "energy",
			status: "published",
		});
		for (const path of ["/topics", "/regions"]) {
			const after = await page(path);
			expect(after.cache, path).toBe("MISS");
			expect(after.html, path).toContain("Grid batteries");
		}
		await send("PATCH", `/articles/${made.id}`, { title: "Grid batteries, retitled", version: made.version });
		expect((await page("/topics")).html).toContain("Grid batteries, retitled");

		expect((await page("/topics")).cache).toBe("HIT");
		await page("/regions");
		await send("PATCH", "/topics/energy", { description: "Power, from mine to grid." });
		const described = await page("/topics");
		expect(described.cache).toBe("MISS");
		expect(described.html).toContain("Power, from mine to grid.");
		expect((await page("/topics/energy")).html).toContain('<p class="page-intro">Power, from mine to grid.</p>');
		// A topic's change leaves the regions' index cached.
		expect((await page("/regions")).cache).toBe("HIT");
	});
});

describe("descriptions elsewhere", () => {
	it("show under the heading of a topic's and a region's page, escaped", async () => {
		await describeTaxon(schema.topics, "energy", `Power <script>alert("x")</script> & more`);
		const html = await (await fetchApp("/topics/energy")).text();
		expect(html).toContain(
			'<h1>Energy</h1><p class="page-intro">Power &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>',
		);
		// It is the page's meta description too; without one, the usual sentence.
		expect(html).toContain(
			'<meta name="description" content="Power &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"/>',
		);
		const region = await (await fetchApp("/regions/china")).text();
		expect(region).toContain('<meta name="description" content="The latest Samarium news from China."/>');
		expect(region).not.toContain('<p class="page-intro">');
	});

	it("are in /api/topics and /api/regions, beside the fields that were there", async () => {
		await describeTaxon(schema.regions, "china", "Mines and refineries.");
		const regions = (await (await fetchApp("/api/regions")).json()) as Record<string, unknown>[];
		expect(regions).toContainEqual({ slug: "china", name: "China", description: "Mines and refineries." });
		expect(regions).toContainEqual({ slug: "global", name: "Global", description: "" });
		const topics = (await (await fetchApp("/api/topics")).json()) as Record<string, unknown>[];
		expect(topics.map((t) => Object.keys(t).sort())).toEqual(Array(3).fill(["description", "name", "slug"]));
	});
});
