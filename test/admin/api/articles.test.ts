import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { DAY, fetchApp, insertArticle } from "../../helpers";
import { type AdminAuthHeaders, adminFetch, expectPrivate, sessionCookie } from "../helpers";
import {
	admin,
	asEditor,
	auditActions,
	call,
	counts,
	create,
	db,
	type ErrorBody,
	editor,
	type Json,
	NEW,
	taxa,
	useArticleApiFixture,
	withCookie,
} from "./article-helpers";

// The admin's JSON API for articles, end to end through the app: creating, validating, reading
// and listing, with a token and with a session cookie. Edits are in article-edits.test.ts, what
// changes purge and readers see in article-purges.test.ts.

useArticleApiFixture();

describe("create", () => {
	it("creates a draft with a bearer token: 201, slug from the title, revision 1 and an audit entry", async () => {
		const { res, body } = await call("POST", "/articles", {
			title: "  Élan: Über-Magnete für Straßenbahnen  ",
			summary: "A summary.",
			bodyMarkdown: "Hello *world*.",
			region: "china",
			topic: "energy",
		});
		expect(res.status).toBe(201);
		expect(body).toMatchObject({
			slug: "elan-uber-magnete-fur-strassenbahnen",
			title: "Élan: Über-Magnete für Straßenbahnen",
			status: "draft",
			publishedAt: null,
			version: 1,
			deletedAt: null,
			bodyMarkdown: "Hello *world*.",
			bodyHtml: "<p>Hello <em>world</em>.</p>\n",
			region: { slug: "china", name: "China" },
			topic: { slug: "energy", name: "Energy" },
			url: "https://samarium.test/articles/elan-uber-magnete-fur-strassenbahnen",
			related: [],
			retiredSlugs: [],
			live: false,
			scheduled: false,
		});
		expect(body.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		// A draft nobody can see purges nothing: no public key moves while an editor works on it.
		expect(body.purge).toMatchObject({ keys: [], tags: [] });

		const revisions = await db.select().from(schema.articleRevisions);
		expect(revisions).toHaveLength(1);
		expect(revisions[0]).toMatchObject({
			articleId: body.id,
			version: 1,
			editorId: editor.id,
			editorName: "Eda Editor",
		});
		expect(await auditActions(body.id)).toEqual([
			{
				action: "article.create",
				editorEmail: editor.email,
				detail: expect.objectContaining({ title: body.title, slug: body.slug, toVersion: 1 }),
			},
		]);
	});

	it("creates with a session cookie and a same-origin Origin; refuses it without one", async () => {
		const made = await create({ slug: "by-cookie" }, withCookie);
		expect(made.slug).toBe("by-cookie");
		const refused = await adminFetch("/api/admin/articles", withCookie, { json: { ...NEW, slug: "x" }, origin: null });
		expect(refused.status).toBe(403);
		expect(await db.select().from(schema.articles).where(eq(schema.articles.slug, "x"))).toHaveLength(0);
	});

	it("publishes now when no time is given, and schedules a future time", async () => {
		const before = Date.now();
		const now = await create({ status: "published" });
		expect(Date.parse(now.publishedAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
		expect(now).toMatchObject({ live: true, scheduled: false });
		expect((await fetchApp(`/articles/${now.slug}`)).status).toBe(200);

		const at = new Date(Date.now() + 3 * DAY);
		at.setUTCSeconds(0, 0);
		const later = await create({ status: "published", publishedAt: at.toISOString().slice(0, 16), slug: "later" });
		expect(later).toMatchObject({ publishedAt: at.toISOString(), live: false, scheduled: true });
		expect((await fetchApp("/articles/later")).status).toBe(404);
	});

	it("reads an offset as such", async () => {
		const made = await create({ publishedAt: "2025-09-17T16:33:11+02:00" });
		expect(made.publishedAt).toBe("2025-09-17T14:33:11.000Z");
	});
});

describe("validation", () => {
	it.each([
		["title", "empty", ""],
		["title", "blank", "   "],
		["title", "201 characters", "x".repeat(201)],
		["title", "a number", 42],
		["summary", "401 characters", "y".repeat(401)],
		["summary", "null", null],
		["bodyMarkdown", "blank", " \n "],
		["bodyMarkdown", "100,001 characters", "z".repeat(100_001)],
		["slug", "with spaces and capitals", "Not A Slug"],
		["slug", "with a double hyphen", "double--hyphen"],
		["slug", "reserved", "new"],
		["slug", "reserved (the topics index)", "topics"],
		["slug", "reserved (the corrections log)", "corrections"],
		["slug", "a file name", "news-sitemap.xml"],
		["slug", "121 characters", "a".repeat(121)],
		["region", "unknown", "atlantis"],
		["region", "not a slug", "Not valid"],
		["topic", "unknown", "astrology"],
		["topic", "a number", 7],
		["status", "unknown", "live"],
		["publishedAt", "not a date", "yesterday"],
		["publishedAt", "Feb 30", "2025-02-30T10:00"],
		["publishedAt", "hour 25", "2025-09-17T25:00"],
		["publishedAt", "before 2000", "1999-12-31T23:59Z"],
		["publishedAt", "after 2100", "2101-01-01T00:00Z"],
		["publishedAt", "a number", 1758119591000],
	])("refuses %s (%s) with 400 naming it, writing nothing", async (field, _label, value) => {
		const { res, body } = await call("POST", "/articles", { ...NEW, [field]: value });
		expect(res.status).toBe(400);
		expect(body.error.code).toBe("bad_request");
		expect(Object.keys(body.error.fields ?? {})).toEqual([field]);
		expect(body.error.fields?.[field]).not.toBe("");
		expect(await db.select().from(schema.articles)).toHaveLength(0);
		expect(await db.select().from(schema.auditLog)).toHaveLength(0);
	});

	it("names the allowed years for a date outside them, even one before the year 100", async () => {
		for (const publishedAt of ["1999-12-31T23:59Z", "0099-12-31T23:59Z", "0001-01-01T00:00"]) {
			const { res, body } = await call("POST", "/articles", { ...NEW, publishedAt });
			expect(res.status, publishedAt).toBe(400);
			expect(body.error.fields, publishedAt).toEqual({ publishedAt: "The year must be from 2000 to 2100." });
		}
	});

	it("accepts the longest values", async () => {
		const made = await create({ title: "t".repeat(200), summary: "s".repeat(400), bodyMarkdown: "b".repeat(100_000) });
		expect(made.slug).toBe("t".repeat(120));
	});

	it("requires title, summary and body, and names every missing one", async () => {
		const { res, body } = await call("POST", "/articles", { topic: "nope" });
		expect(res.status).toBe(400);
		expect(body.error.fields).toEqual({
			title: "Required.",
			summary: "Required.",
			bodyMarkdown: "Required.",
			topic: 'There is no topic "nope".',
		});
	});

	it("asks for a slug when the title has nothing to make one from", async () => {
		const { res, body } = await call("POST", "/articles", { ...NEW, title: "稀土" });
		expect(res.status).toBe(400);
		expect(body.error.fields?.slug).toMatch(/enter a slug/);
	});

	it("names unknown keys", async () => {
		const { res, body } = await call("POST", "/articles", { ...NEW, tittle: "x", version: 1 });
		expect(res.status).toBe(400);
		expect(body.error.message).toContain('"tittle"');
		expect(body.error.message).toContain('"version"');
		expect(Object.keys(body.error.fields ?? {})).toEqual(["tittle", "version"]);
	});

	it("refuses malformed JSON, JSON that is not an object, and other content types", async () => {
		const send = (body: string, type: string) =>
			fetchApp("/api/admin/articles", {
				method: "POST",
				headers: { ...asEditor, "content-type": type },
				body,
			});
		const malformed = await send('{"title": ', "application/json");
		expect(malformed.status).toBe(400);
		expectPrivate(malformed);
		expect(((await malformed.json()) as ErrorBody).error.message).toMatch(/not valid JSON/);
		const array = await send("[1, 2]", "application/json");
		expect(array.status).toBe(400);
		expect(((await array.json()) as ErrorBody).error.message).toMatch(/JSON object/);
		const form = await send("title=x", "application/x-www-form-urlencoded");
		expect(form.status).toBe(415);
		expect(((await form.json()) as ErrorBody).error.code).toBe("unsupported_media_type");
		expect(await db.select().from(schema.articles)).toHaveLength(0);
	});

	it("leaves a body over the admin's limit to the guard's 413, streamed or not", async () => {
		const big = JSON.stringify({ ...NEW, bodyMarkdown: "b".repeat(1_100_000) });
		const sized = await fetchApp("/api/admin/articles", {
			method: "POST",
			headers: { ...asEditor, "content-type": "application/json" },
			body: big,
		});
		expect(sized.status).toBe(413);
		const streamed = await fetchApp("/api/admin/articles", {
			method: "POST",
			headers: { ...asEditor, "content-type": "application/json" },
			body: new Blob([big]).stream(),
		});
		expect(streamed.status).toBe(413);
		expect(await db.select().from(schema.articles)).toHaveLength(0);
	});

	it("requires a valid version on PATCH", async () => {
		const made = await create();
		for (const [version, message] of [
			[undefined, /Required/],
			[0, /whole number/],
			["abc", /version number/],
			[1.5, /whole number/],
		] as const) {
			const { res, body } = await call("PATCH", `/articles/${made.id}`, { title: "New", version });
			expect(res.status).toBe(400);
			expect(body.error.fields?.version).toMatch(message);
		}
		expect((await counts(made.id)).revisions).toBe(1);
	});
});

describe("read", () => {
	it("gets one article by id; 404 JSON for an unknown or malformed id", async () => {
		const made = await create();
		const { res, body } = await call("GET", `/articles/${made.id}`);
		expect(res.status).toBe(200);
		expect(body).toMatchObject({ id: made.id, slug: made.slug, bodyMarkdown: NEW.bodyMarkdown, version: 1 });
		expect(body.purge).toBeUndefined();

		for (const path of [`/articles/${made.id + 1000}`, "/articles/abc", `/articles/${made.id + 1000}/revisions`]) {
			const missing = await call("GET", path);
			expect(missing.res.status, path).toBe(404);
			expect(missing.body.error.code).toBe("not_found");
		}
		expect((await call("PATCH", `/articles/${made.id + 1000}`, { title: "x", version: 1 })).res.status).toBe(404);
		expect((await call("DELETE", `/articles/${made.id + 1000}`)).res.status).toBe(404);
		expect((await call("POST", `/articles/${made.id + 1000}/restore`)).res.status).toBe(404);
	});

	it("needs credentials", async () => {
		const res = await fetchApp("/api/admin/articles");
		expect(res.status).toBe(401);
		expectPrivate(res);
	});

	it("shows a live article's Related Articles as readers see them", async () => {
		const other = await insertArticle({ topicId: taxa.topic.energy, title: "Neighbour" });
		const made = await create({ status: "published", topic: "energy" });
		const { body } = await call("GET", `/articles/${made.id}`);
		expect((body.related as { slug: string }[]).map((r) => r.slug)).toEqual([other.slug]);
	});
});

describe("list", () => {
	it("lists everything but the trash by default, newest change first, and filters by status", async () => {
		const now = Date.now();
		const draft = await insertArticle({ status: "draft", publishedAt: null, updatedAt: now - 4000 });
		const live = await insertArticle({ updatedAt: now - 3000 });
		const scheduled = await insertArticle({ publishedAt: now + DAY, updatedAt: now - 2000 });
		const trashed = await insertArticle({ deletedAt: now, updatedAt: now - 1000 });
		const slugs = async (query: string) =>
			((await call("GET", `/articles${query}`)).body.articles as Json[]).map((a) => a.slug);
		expect(await slugs("")).toEqual([scheduled.slug, live.slug, draft.slug]);
		expect(await slugs("?status=all")).toEqual([scheduled.slug, live.slug, draft.slug]);
		expect(await slugs("?status=draft")).toEqual([draft.slug]);
		expect(await slugs("?status=published")).toEqual([live.slug]);
		expect(await slugs("?status=scheduled")).toEqual([scheduled.slug]);
		expect(await slugs("?status=trash")).toEqual([trashed.slug]);

		const { body } = await call("GET", "/articles?status=scheduled");
		const [entry] = body.articles as Json[];
		expect(entry).toMatchObject({ id: scheduled.id, scheduled: true, live: false, status: "published" });
		expect(entry).not.toHaveProperty("bodyMarkdown");
	});

	it("searches title words case-insensitively; % and _ are not wildcards", async () => {
		const a = await insertArticle({ title: "Rare Earth prices at 100%" });
		await insertArticle({ title: "Rare earths: 1000 tonnes" });
		const b = await insertArticle({ title: "snake_case magnets" });
		await insertArticle({ title: "snakeXcase magnets" });
		const slugs = async (q: string) =>
			((await call("GET", `/articles?q=${encodeURIComponent(q)}`)).body.articles as Json[]).map((x) => x.slug);
		expect(await slugs("100%")).toEqual([a.slug]);
		expect(await slugs("SNAKE_CASE")).toEqual([b.slug]);
		expect((await slugs("rare earth")).length).toBe(2);
	});

	it("filters by topic and region, and refuses unknown ones", async () => {
		const match = await insertArticle({ topicId: taxa.topic.energy, regionId: taxa.region.china });
		await insertArticle({ topicId: taxa.topic.energy, regionId: taxa.region.global });
		const { body } = await call("GET", "/articles?topic=energy&region=china");
		expect((body.articles as Json[]).map((a) => a.slug)).toEqual([match.slug]);
		const bad = await call("GET", "/articles?topic=astrology&status=soon&limit=0");
		expect(bad.res.status).toBe(400);
		expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual(["limit", "status"]);
		const unknown = await call("GET", "/articles?topic=astrology");
		expect(unknown.res.status).toBe(400);
		expect(unknown.body.error.fields).toEqual({ topic: 'There is no topic "astrology".' });
		expect((await call("GET", "/articles?cursor=bogus")).body.error.fields).toHaveProperty("cursor");
	});

	it("pages through every article once with nextCursor, even when times tie", async () => {
		const at = Date.now() - DAY;
		const made = [];
		for (let i = 0; i < 7; i++) made.push(await insertArticle({ updatedAt: at + Math.floor(i / 3) }));
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const query: string = cursor ? `&cursor=${cursor}` : "";
			const { body } = await call("GET", `/articles?limit=3${query}`);
			seen.push(...(body.articles as Json[]).map((a) => a.slug));
			cursor = body.nextCursor as string | null;
		} while (cursor);
		const expected = [...made].sort((x, y) => y.updatedAt - x.updatedAt || y.id - x.id).map((a) => a.slug);
		expect(seen).toEqual(expected);
	});
});

describe("list search (q)", () => {
	const slugs = async (query: string) =>
		((await call("GET", `/articles?${query}`)).body.articles as Json[]).map((a) => a.slug);

	it("finds drafts, scheduled and trashed articles by a word only in their body, within the status asked for", async () => {
		const now = Date.now();
		const body = "The samarium-cobalt line restarts.";
		const draft = await insertArticle({
			status: "draft",
			publishedAt: null,
			bodyMarkdown: body,
			updatedAt: now - 4000,
		});
		const scheduled = await insertArticle({ publishedAt: now + DAY, bodyMarkdown: body, updatedAt: now - 3000 });
		const trashed = await insertArticle({ deletedAt: now, bodyMarkdown: body, updatedAt: now - 2000 });
		await insertArticle({ bodyMarkdown: "A samarium line elsewhere.", updatedAt: now - 1000 });
		expect(await slugs("q=cobalt")).toEqual([scheduled.slug, draft.slug]);
		expect(await slugs("q=cobalt&status=draft")).toEqual([draft.slug]);
		expect(await slugs("q=cobalt&status=scheduled")).toEqual([scheduled.slug]);
		expect(await slugs("q=cobalt&status=published")).toEqual([]);
		expect(await slugs("q=COBALT%20restarts&status=trash")).toEqual([trashed.slug]);
	});

	it("combines with topic and region and pages with nextCursor", async () => {
		const at = Date.now() - DAY;
		const match = [];
		for (let i = 0; i < 5; i++) {
			match.push(
				await insertArticle({
					summary: "Europium phosphor output.",
					topicId: taxa.topic.energy,
					regionId: taxa.region.china,
					updatedAt: at + Math.floor(i / 2),
				}),
			);
		}
		await insertArticle({
			summary: "Europium phosphor output.",
			topicId: taxa.topic.energy,
			regionId: taxa.region.global,
		});
		await insertArticle({ summary: "Phosphor output.", topicId: taxa.topic.energy, regionId: taxa.region.china });
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const { body } = await call(
				"GET",
				`/articles?q=europium&topic=energy&region=china&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
			);
			seen.push(...(body.articles as Json[]).map((a) => a.slug));
			cursor = body.nextCursor as string | null;
		} while (cursor);
		expect(seen).toEqual([...match].sort((x, y) => y.updatedAt - x.updatedAt || y.id - x.id).map((a) => a.slug));
	});

	it("refuses a search over the limits with a 400 in the API's error shape", async () => {
		const long = await call("GET", `/articles?q=${"a".repeat(201)}`);
		expect(long.res.status).toBe(400);
		expect(long.body.error).toEqual({
			code: "bad_request",
			message: "The list's parameters are not valid.",
			fields: { q: "Search for at most 200 characters." },
		});
		const many = await call("GET", `/articles?q=${encodeURIComponent("a b c d e f g h i j k l m")}`);
		expect(many.res.status).toBe(400);
		expect(many.body.error.fields).toEqual({ q: "Search for at most 12 words." });
	});

	it("answers an empty list for a search with no words", async () => {
		await insertArticle({ title: "Stars * everywhere" });
		for (const q of ['"*"', "*", "🧲", "%25"]) {
			const { res, body } = await call("GET", `/articles?q=${encodeURIComponent(q)}`);
			expect(res.status, q).toBe(200);
			expect(body, q).toEqual({ articles: [], nextCursor: null });
		}
		expect(await slugs("q=stars")).toHaveLength(1);
	});
});

describe("with a session cookie", () => {
	it("does every action, each state-changing one with the page's own Origin", async () => {
		const adminCookie = { cookie: await sessionCookie(admin) };
		const made = await create({ slug: "cookie-made" }, withCookie);
		const steps: [string, string, unknown, AdminAuthHeaders, number][] = [
			["GET", `/articles/${made.id}`, undefined, withCookie, 200],
			["GET", "/articles?status=draft", undefined, withCookie, 200],
			["PATCH", `/articles/${made.id}`, { title: "By cookie", version: 1 }, withCookie, 200],
			["GET", `/articles/${made.id}/revisions`, undefined, withCookie, 200],
			["POST", `/articles/${made.id}/revisions/1/restore`, { version: 2 }, withCookie, 200],
			["DELETE", `/articles/${made.id}`, { version: 3 }, withCookie, 200],
			["POST", `/articles/${made.id}/restore`, { version: 4 }, withCookie, 200],
			["DELETE", `/articles/${made.id}`, undefined, withCookie, 200],
			["DELETE", `/articles/${made.id}?permanent=true`, undefined, withCookie, 403],
			["DELETE", `/articles/${made.id}?permanent=true`, undefined, adminCookie, 200],
			["POST", "/purge", { slugs: ["cookie-made"] }, withCookie, 200],
		];
		for (const [method, path, json, auth, status] of steps) {
			const { res, body } = await call(method, path, json, auth);
			expect(res.status, `${method} ${path}: ${JSON.stringify(body.error)}`).toBe(status);
		}
		expect((await auditActions(made.id)).map((a) => [a.action, a.editorEmail])).toEqual([
			["article.create", editor.email],
			["article.update", editor.email],
			["article.revert", editor.email],
			["article.trash", editor.email],
			["article.restore", editor.email],
			["article.trash", editor.email],
			["article.destroy", admin.email],
		]);
	});

	it("refuses every state-changing action without the Origin, changing nothing", async () => {
		const made = await create();
		for (const [method, path, json] of [
			["POST", "/articles", NEW],
			["PATCH", `/articles/${made.id}`, { title: "x", version: 1 }],
			["DELETE", `/articles/${made.id}`, undefined],
			["POST", `/articles/${made.id}/revisions/1/restore`, undefined],
			["POST", "/purge", { all: true }],
		] as const) {
			const res = await adminFetch(`/api/admin${path}`, withCookie, { method, json, origin: "https://evil.test" });
			expect(res.status, `${method} ${path}`).toBe(403);
			expectPrivate(res);
		}
		expect(await counts(made.id)).toMatchObject({ revisions: 1, audit: 1 });
	});
});
