import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { withEdgeCache } from "../../src/cache/edge";
import { type ArticleFacts, type ContentChange, planPurge } from "../../src/cache/plan";
import { createEditor, sessionCookie } from "../admin/helpers";
import {
	failingD1,
	fetchWorker,
	freshTaxa,
	insertArticle,
	insertPage,
	insertRedirect,
	isolatedSite,
	type TestTaxa,
} from "../helpers";

// What Workers Cache, in front of the Worker when deployed, reads from each answer: it stores what
// Cache-Control allows (and a 200 without one, heuristically, for hours) and purges by Cache-Tag.
// It is not emulated locally, so these tests read the headers it would read, through the Worker.

const STORED = /^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/;

let taxa: TestTaxa;
let site: ReturnType<typeof isolatedSite>;

beforeEach(async () => {
	taxa = await freshTaxa();
	site = isolatedSite();
});

function expectNoStore(res: Response, what: string) {
	expect(res.headers.get("cache-control") ?? "(none)", what).toMatch(/(^|, )no-store(,|$)/);
	expect(res.headers.get("cache-tag"), what).toBeNull();
}

describe("every answer carries an explicit Cache-Control", () => {
	it("public copies: shared caches may keep them s-maxage seconds, browsers revalidate", async () => {
		const a = await insertArticle({ slug: `cc-${Date.now()}`, topicId: taxa.topic.energy });
		await insertPage("about", "About", "Who we are.");
		const paths = [
			"/",
			`/articles/${a.slug}`,
			`/api/articles/${a.slug}`,
			"/api/articles?limit=2",
			"/topics/energy",
			"/about",
			"/feed.xml",
			"/sitemap.xml",
			"/robots.txt",
			"/favicon.svg",
			"/articles/nobody-wrote-this",
			"/?cursor=not-a-cursor",
			"/topics/energy/",
		];
		for (const path of paths) {
			for (const state of ["MISS", "HIT"]) {
				const res = await fetchWorker(path, undefined, site);
				expect(res.headers.get("x-cache"), path).toBe(state);
				expect(res.headers.get("cache-control"), `${state} ${path}`).toMatch(STORED);
				expect(res.headers.get("cache-tag"), path).toMatch(/(^|,)site(,|$)/);
			}
		}
		const etag = (await fetchWorker(`/articles/${a.slug}`, undefined, site)).headers.get("etag") ?? "";
		const notModified = await fetchWorker(`/articles/${a.slug}`, { headers: { "if-none-match": etag } }, site);
		expect(notModified.status).toBe(304);
		expect(notModified.headers.get("cache-control")).toMatch(STORED);
	});

	it("no-store on /healthz, on every admin answer and on what must not be kept", async () => {
		const editor = await createEditor({ role: "editor" });
		const cookie = await sessionCookie(editor);
		const answers: [string, Response][] = [
			["/healthz", await fetchWorker("/healthz", undefined, site)],
			["/admin signed out", await fetchWorker("/admin", { redirect: "manual" }, site)],
			["/admin/login", await fetchWorker("/admin/login", undefined, site)],
			["/admin signed in", await fetchWorker("/admin", { headers: { cookie } }, site)],
			["/api/admin signed out", await fetchWorker("/api/admin/articles", undefined, site)],
			["/api/admin signed in", await fetchWorker("/api/admin/articles", { headers: { cookie } }, site)],
			[
				"/api/admin bad JSON",
				await fetchWorker(
					"/api/admin/articles",
					{
						method: "POST",
						headers: { cookie, origin: "https://localhost", "content-type": "application/json" },
						body: "{",
					},
					site,
				),
			],
			["POST / (405)", await fetchWorker("/", { method: "POST" }, site)],
			["/%61dmin", await fetchWorker("/%61dmin", { redirect: "manual" }, site)],
			["/__cache/x", await fetchWorker("/__cache/x", undefined, site)],
			// The database is down and there is no copy to fall back on: the 503 is not kept.
			[
				"503",
				await fetchWorker(`/articles/down-${Date.now()}`, undefined, { ...site, DB: failingD1("D1_ERROR: down") }),
			],
		];
		for (const [what, res] of answers) {
			expect(res.status, what).toBeGreaterThan(0);
			expectNoStore(res, what);
		}
		expect(answers.find(([what]) => what === "503")?.[1].status).toBe(503);
		expect(answers.find(([what]) => what === "/healthz")?.[1].headers.get("cache-control")).toBe("no-store");
	});

	it("no-store on anything the app answers without one, and on a fault in the cache itself", async () => {
		const bare = withEdgeCache({ fetch: () => new Response("no header of its own") });
		const broken = withEdgeCache({
			fetch: () => {
				throw new Error("a bug");
			},
		});
		const immutable = withEdgeCache({ fetch: () => Response.redirect("https://example.com/", 302) });
		for (const [what, handler, path] of [
			["bypassed", bare, "/admin"],
			["healthz", bare, "/healthz"],
			["immutable headers", immutable, "/healthz"],
		] as const) {
			const ctx = createExecutionContext();
			const res = await handler(new Request(`${site.SITE_URL}${path}`), site, ctx);
			await waitOnExecutionContext(ctx);
			expect(res.headers.get("cache-control"), what).toMatch(/no-store/);
		}
		const ctx = createExecutionContext();
		const res = await broken(new Request(`${site.SITE_URL}/admin`), site, ctx);
		await waitOnExecutionContext(ctx);
		expect(res.status).toBe(500);
		expect(res.headers.get("cache-control")).toBe("no-store");
		expect(await res.text()).not.toContain("a bug");
	});
});

describe("the tags Workers Cache sees are the ones a purge names", () => {
	// Workers Cache is purged by tag only: every key a plan names must carry one of the plan's tags.
	async function expectTagsCover(change: ContentChange) {
		const plan = planPurge(site.SITE_URL, change);
		expect(plan.keys.length).toBeGreaterThan(0);
		for (const key of plan.keys) {
			const res = await fetchWorker(key, { redirect: "manual" }, site);
			const tags = (res.headers.get("cache-tag") ?? "").split(",");
			expect(
				tags.some((t) => plan.tags.includes(t)),
				`${key} (${res.status}) carries ${tags.join(",")}; the plan purges ${plan.tags.join(",")}`,
			).toBe(true);
		}
	}

	const facts = (a: { slug: string; publishedAt: number | null }, more: Partial<ArticleFacts> = {}): ArticleFacts => ({
		slug: a.slug,
		topic: "energy",
		region: "china",
		live: true,
		publishedAt: a.publishedAt,
		...more,
	});

	it("for an article's edit, its publication, its slug change and an editor's purge", async () => {
		const stamp = Date.now();
		const a = await insertArticle({
			slug: `tagged-${stamp}`,
			topicId: taxa.topic.energy,
			regionId: taxa.region.china,
		});
		await insertRedirect(`tagged-old-${stamp}`, a.id);
		const live = facts(a, { retiredSlugs: [`tagged-old-${stamp}`] });
		await expectTagsCover({ kind: "article", before: live, after: live });
		await expectTagsCover({ kind: "article", before: null, after: live });
		await expectTagsCover({ kind: "article", before: { ...live, slug: `tagged-before-${stamp}` }, after: live });
		await expectTagsCover({ kind: "article", before: live, after: { ...live, live: false } });
		await expectTagsCover({ kind: "purge", article: live });
	});

	it("for a page edit and a topic's or region's rename", async () => {
		await insertPage("about", "About", "Who we are.");
		await expectTagsCover({ kind: "page", slug: "about" });
		await expectTagsCover({ kind: "taxon", taxon: "topic", slug: "energy", previousSlug: "power" });
		await expectTagsCover({ kind: "taxon", taxon: "region", slug: "china" });
		await expectTagsCover({ kind: "author", slug: "ada" });
	});
});
