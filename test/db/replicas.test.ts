import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REPLICA_LAG_MS } from "../../src/cache/edge";
import { applyPurge } from "../../src/cache/purge";
import { isBookmark } from "../../src/db/replicas";
import { publishScheduled } from "../../src/jobs/publish-scheduled";
import { createEditor, httpSite, sessionCookie, setCookieOf } from "../admin/helpers";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa } from "../helpers";

// Which copy of the database each kind of request reads (src/db/replicas.ts), seen through a
// binding that records every session opened on it: what it was opened with, and what bookmark
// it hands back.

const BOOKMARK = "0000000a-0000002b-00004f09-a6c30ee9e2f1a0fcb53d57f3a40e8ec7";
const LATER = "0000000a-0000002c-00004f09-a6c30ee9e2f1a0fcb53d57f3a40e8ec7";

/** D1 with its sessions recorded; each session reports `bookmark` as where it ended. */
function recordingD1(bookmark: string | null = LATER) {
	const opened: (string | undefined)[] = [];
	const db = new Proxy(env.DB, {
		get(target, prop) {
			if (prop === "withSession") {
				return (from?: string) => {
					opened.push(from);
					// Local D1 has no replicas: the real session (on the primary) answers the queries.
					const session = target.withSession(from);
					return {
						prepare: (sql: string) => session.prepare(sql),
						batch: (statements: D1PreparedStatement[]) => session.batch(statements),
						getBookmark: () => bookmark,
					};
				};
			}
			const value = Reflect.get(target, prop, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { db, opened };
}

let taxa: TestTaxa;
let site: ReturnType<typeof isolatedSite>;
let d1: ReturnType<typeof recordingD1>;

beforeEach(async () => {
	taxa = await freshTaxa();
	d1 = recordingD1();
	site = isolatedSite({ DB: d1.db });
});

afterEach(() => {
	vi.useRealTimers();
});

async function purge(tags: string[], keys: string[] = []) {
	const ctx = createExecutionContext();
	await applyPurge({ keys, tags }, site, ctx);
	await waitOnExecutionContext(ctx);
}

describe("readers", () => {
	it("read any replica, and a copy served from the cache opens no session at all", async () => {
		const a = await insertArticle({ slug: `replica-${Date.now()}`, topicId: taxa.topic.energy });
		const miss = await fetchWorker(`/articles/${a.slug}`, undefined, site);
		expect(miss.headers.get("x-cache")).toBe("MISS");
		const list = await fetchWorker("/api/articles?limit=3", undefined, site);
		expect(list.status).toBe(200);
		expect(d1.opened).toEqual(["first-unconstrained", "first-unconstrained"]);

		const hit = await fetchWorker(`/articles/${a.slug}`, undefined, site);
		expect(hit.headers.get("x-cache")).toBe("HIT");
		expect(d1.opened).toHaveLength(2);
	});

	it("cannot ask for the primary, or for a bookmark, with anything they send", async () => {
		const a = await insertArticle({ slug: `no-primary-${Date.now()}` });
		const init = {
			headers: {
				cookie: `__Host-samarium_bookmark=${BOOKMARK}; samarium_bookmark=${BOOKMARK}`,
				"x-d1-bookmark": BOOKMARK,
				"cache-control": "no-cache",
			},
		};
		await fetchWorker(`/articles/${a.slug}?consistency=primary`, init, site);
		await fetchWorker("/no-such-page", init, site);
		expect(d1.opened).toEqual(["first-unconstrained", "first-unconstrained"]);
	});

	it("never get the bookmark cookie, whatever they send and however they are answered", async () => {
		const editor = await createEditor({ role: "editor" });
		const cookie = `${await sessionCookie(editor)}; __Host-samarium_bookmark=${BOOKMARK}`;
		const a = await insertArticle({ slug: `no-cookie-${Date.now()}` });
		const requests: [string, RequestInit?][] = [
			[`/articles/${a.slug}`],
			[`/articles/${a.slug}`], // HIT
			[`/api/articles/${a.slug}`],
			["/"],
			["/?cursor=not-a-cursor"],
			["/articles/nobody-wrote-this"],
			["/feed.xml"],
			["/healthz"],
			["/robots.txt"],
			["/", { method: "POST" }],
			[`/articles/${a.slug}`, { method: "HEAD" }],
		];
		for (const [path, init] of requests) {
			const res = await fetchWorker(path, { ...init, headers: { cookie } }, site);
			expect(res.status, path).toBeLessThan(500);
			expect(res.headers.getSetCookie(), `${init?.method ?? "GET"} ${path}`).toEqual([]);
		}
	});
});

describe("editors", () => {
	it("read the primary when they bring no bookmark, and are handed the session's latest", async () => {
		const editor = await createEditor({ role: "editor" });
		const res = await fetchWorker("/admin", { headers: { cookie: await sessionCookie(editor) } }, site);
		expect(res.status).toBe(200);
		expect(d1.opened).toEqual(["first-primary"]);
		const set = setCookieOf(res, "__Host-samarium_bookmark");
		expect(set).toBe(`__Host-samarium_bookmark=${LATER}; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Lax`);
	});

	it("read from where their bookmark says, so that they see what they wrote", async () => {
		const editor = await createEditor({ role: "editor" });
		const cookie = `${await sessionCookie(editor)}; __Host-samarium_bookmark=${BOOKMARK}`;
		const list = await fetchWorker("/admin", { headers: { cookie } }, site);
		expect(list.status).toBe(200);
		const json = await fetchWorker("/api/admin/articles", { headers: { cookie } }, site);
		expect(json.status).toBe(200);
		expect(d1.opened).toEqual([BOOKMARK, BOOKMARK]);
		expect(setCookieOf(json, "__Host-samarium_bookmark")?.split(";")[0]).toBe(`__Host-samarium_bookmark=${LATER}`);
	});

	it("write through the primary, bookmark or not, and get the bookmark after the write", async () => {
		const editor = await createEditor({ role: "editor" });
		const cookie = `${await sessionCookie(editor)}; __Host-samarium_bookmark=${BOOKMARK}`;
		const res = await fetchWorker(
			"/api/admin/articles",
			{
				method: "POST",
				headers: { cookie, origin: "https://localhost", "content-type": "application/json" },
				body: JSON.stringify({ title: "Written on the primary", summary: "S", bodyMarkdown: "B" }),
			},
			site,
		);
		expect(res.status).toBe(201);
		expect(d1.opened).toEqual(["first-primary"]);
		expect(setCookieOf(res, "__Host-samarium_bookmark")?.split(";")[0]).toBe(`__Host-samarium_bookmark=${LATER}`);
	});

	it("ignore a bookmark cookie that is not one of D1's, or not under the name the scheme calls for", async () => {
		const editor = await createEditor({ role: "editor" });
		const session = await sessionCookie(editor);
		for (const bookmark of [
			`__Host-samarium_bookmark=garbage`,
			`__Host-samarium_bookmark=${BOOKMARK.toUpperCase()}`,
			`__Host-samarium_bookmark=${BOOKMARK}0`,
			`__Host-samarium_bookmark=${"0".repeat(5000)}`,
			// Over https only the __Host- name counts: a sibling subdomain could plant this one.
			`samarium_bookmark=${BOOKMARK}`,
		]) {
			const res = await fetchWorker("/admin", { headers: { cookie: `${session}; ${bookmark}` } }, site);
			expect(res.status, bookmark.slice(0, 40)).toBe(200);
		}
		expect(d1.opened).toEqual(Array(5).fill("first-primary"));
	});

	it("over plain http (local development) get the cookie without the __Host- prefix", async () => {
		const editor = await createEditor({ role: "editor" });
		const session = (await sessionCookie(editor)).replace("__Host-", "");
		const http = { ...httpSite(), DB: d1.db };
		const res = await fetchWorker("http://localhost/admin", { headers: { cookie: session } }, http);
		expect(res.status).toBe(200);
		expect(setCookieOf(res, "samarium_bookmark")).toBe(
			`samarium_bookmark=${LATER}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax`,
		);
		const back = await fetchWorker(
			"http://localhost/admin",
			{ headers: { cookie: `${session}; samarium_bookmark=${BOOKMARK}` } },
			http,
		);
		expect(back.status).toBe(200);
		expect(d1.opened).toEqual(["first-primary", BOOKMARK]);
	});

	it("get no cookie when signed out, refused, or when the session has no bookmark to give", async () => {
		const signedOut = await fetchWorker("/admin/login", undefined, site);
		const refused = await fetchWorker("/api/admin/articles", undefined, site);
		const wrong = await fetchWorker(
			"/admin/login",
			{
				method: "POST",
				headers: { origin: "https://localhost", "content-type": "application/x-www-form-urlencoded" },
				body: "email=nobody%40samarium.test&password=not-the-password",
			},
			site,
		);
		for (const res of [signedOut, refused, wrong]) {
			expect(res.status).toBeLessThan(500);
			expect(res.headers.getSetCookie().filter((c) => c.includes("bookmark"))).toEqual([]);
		}
		const editor = await createEditor({ role: "editor" });
		const none = recordingD1(null);
		const res = await fetchWorker(
			"/admin",
			{ headers: { cookie: await sessionCookie(editor) } },
			{ ...site, DB: none.db },
		);
		expect(res.status).toBe(200);
		expect(res.headers.getSetCookie().filter((c) => c.includes("bookmark"))).toEqual([]);
	});
});

describe("a render that refills a copy purged moments ago", () => {
	it("reads the primary when the key or one of the route's tags was purged", async () => {
		const a = await insertArticle({ slug: `refill-${Date.now()}` });
		await fetchWorker(`/articles/${a.slug}`, undefined, site);
		await fetchWorker("/api/articles", undefined, site);
		expect(d1.opened).toEqual(["first-unconstrained", "first-unconstrained"]);

		await purge([`article:${a.slug}`], [`${site.SITE_URL}/articles/${a.slug}`]);
		await purge(["list:home"]);
		d1.opened.length = 0;
		expect((await fetchWorker(`/articles/${a.slug}`, undefined, site)).headers.get("x-cache")).toBe("MISS");
		expect((await fetchWorker("/api/articles", undefined, site)).headers.get("x-cache")).toBe("MISS");
		expect(d1.opened).toEqual(["first-primary", "first-primary"]);
	});

	it("is done again from the primary when only the render names the purged tag (Related Articles)", async () => {
		const stamp = Date.now();
		const shown = await insertArticle({
			slug: `shown-${stamp}`,
			topicId: taxa.topic.energy,
			publishedAt: stamp - 1000,
		});
		const page = await insertArticle({ slug: `page-${stamp}`, topicId: taxa.topic.energy, publishedAt: stamp });
		const first = await fetchWorker(`/articles/${page.slug}`, undefined, site);
		expect(first.headers.get("cache-tag")).toContain(`shows:${shown.slug}`);

		// Only the tag the render itself adds was purged: the key and the route's tags were not.
		await purge([`shows:${shown.slug}`]);
		d1.opened.length = 0;
		const res = await fetchWorker(`/articles/${page.slug}`, undefined, site);
		expect(res.headers.get("x-cache")).toBe("MISS");
		expect(d1.opened).toEqual(["first-unconstrained", "first-primary"]);
		// What was stored is the primary's render: the next reader gets it.
		expect((await fetchWorker(`/articles/${page.slug}`, undefined, site)).headers.get("x-cache")).toBe("HIT");
	});

	it(`reads a replica again once the purge is more than ${REPLICA_LAG_MS / 1000} s old`, async () => {
		const a = await insertArticle({ slug: `settled-${Date.now()}` });
		await purge([`article:${a.slug}`]);
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now() + REPLICA_LAG_MS + 1000);
		d1.opened.length = 0;
		await fetchWorker(`/articles/${a.slug}`, undefined, site);
		expect(d1.opened).toEqual(["first-unconstrained"]);
	});
});

describe("the cron", () => {
	it("reads and writes the primary", async () => {
		const ctx = createExecutionContext();
		await publishScheduled(site, ctx, Date.now());
		await waitOnExecutionContext(ctx);
		expect(d1.opened).toEqual(["first-primary"]);
	});
});

describe("isBookmark", () => {
	it("accepts D1's four hex fields and nothing else", () => {
		expect(isBookmark(BOOKMARK)).toBe(true);
		for (const bad of ["", "garbage", BOOKMARK.toUpperCase(), `${BOOKMARK}\n`, ` ${BOOKMARK}`, null, undefined]) {
			expect(isBookmark(bad)).toBe(false);
		}
	});
});
