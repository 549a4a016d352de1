import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import {
	DAY,
	fetchApp,
	fetchWorker,
	freshTaxa,
	insertArticle,
	insertRedirect,
	isolatedSite,
	type TestTaxa,
	testDb,
} from "../../helpers";
import {
	type AdminAuthHeaders,
	adminFetch,
	bearerToken,
	createEditor,
	expectPrivate,
	racingD1,
	sessionCookie,
} from "../helpers";

// The admin's JSON API for articles, end to end through the app (and, for the cache, the whole
// Worker): every action with a token and with a session cookie, every refusal, what readers see.

const db = testDb();
let taxa: TestTaxa;
let editor: schema.Editor;
let admin: schema.Editor;
let asEditor: AdminAuthHeaders;
let asAdmin: AdminAuthHeaders;
let withCookie: AdminAuthHeaders;

beforeEach(async () => {
	taxa = await freshTaxa();
	editor = await createEditor({ role: "editor", name: "Eda Editor" });
	admin = await createEditor({ role: "admin", name: "Ada Admin" });
	asEditor = { authorization: await bearerToken(editor) };
	asAdmin = { authorization: await bearerToken(admin) };
	withCookie = { cookie: await sessionCookie(editor) };
});

type Json = Record<string, unknown> & {
	id: number;
	slug: string;
	title: string;
	version: number;
	status: string;
	publishedAt: string | null;
	deletedAt: string | null;
	retiredSlugs: string[];
	scheduled: boolean;
	live: boolean;
	purge: { keys: string[]; tags: string[]; local: { ok: boolean; deleted: number }; everything?: boolean };
};
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> }; current?: Json };

async function call(
	method: string,
	path: string,
	json?: unknown,
	auth: AdminAuthHeaders = asEditor,
): Promise<{ res: Response; body: Json & ErrorBody }> {
	const res = await adminFetch(`/api/admin${path}`, auth, { method, json });
	expectPrivate(res);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	return { res, body: (await res.json()) as Json & ErrorBody };
}

const NEW = { title: "Magnet prices rise", summary: "Neodymium is up.", bodyMarkdown: "First.\n\nSecond." };

async function create(fields: Record<string, unknown> = {}, auth: AdminAuthHeaders = asEditor): Promise<Json> {
	const { res, body } = await call("POST", "/articles", { ...NEW, ...fields }, auth);
	expect(res.status, JSON.stringify(body)).toBe(201);
	return body;
}

async function counts(id: number) {
	const [revisions] = await db
		.select({ n: count() })
		.from(schema.articleRevisions)
		.where(eq(schema.articleRevisions.articleId, id));
	const [audit] = await db.select({ n: count() }).from(schema.auditLog);
	const [redirects] = await db.select({ n: count() }).from(schema.slugRedirects);
	return { revisions: revisions?.n, audit: audit?.n, redirects: redirects?.n };
}

async function auditActions(id: number) {
	const rows = await db
		.select()
		.from(schema.auditLog)
		.where(eq(schema.auditLog.subject, `article:${id}`))
		.orderBy(schema.auditLog.id);
	return rows.map((r) => ({ action: r.action, editorEmail: r.editorEmail, detail: JSON.parse(r.detail) }));
}

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

	it("searches titles case-insensitively, with % and _ taken literally", async () => {
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

describe("update", () => {
	it("saves a partial edit as the next version, with a revision and an audit entry", async () => {
		const made = await create({ topic: "energy" });
		const { res, body } = await call("PATCH", `/articles/${made.id}`, { title: "Magnet prices fall", version: 1 });
		expect(res.status).toBe(200);
		expect(body).toMatchObject({
			title: "Magnet prices fall",
			slug: made.slug,
			summary: NEW.summary,
			topic: { slug: "energy", name: "Energy" },
			version: 2,
		});
		const revisions = await call("GET", `/articles/${made.id}/revisions`);
		const list = revisions.body.revisions as { version: number; title: string; editor: { name: string } }[];
		expect(list.map((r) => [r.version, r.title])).toEqual([
			[2, "Magnet prices fall"],
			[1, NEW.title],
		]);
		expect(list[0]?.editor.name).toBe("Eda Editor");
		const actions = await auditActions(made.id);
		expect(actions.at(-1)).toMatchObject({
			action: "article.update",
			detail: { fromVersion: 1, toVersion: 2, changed: ["title"] },
		});
	});

	it("keeps the state a save started from when the article had no history yet, once", async () => {
		const seeded = await insertArticle({ title: "Seeded title" });
		expect((await counts(seeded.id)).revisions).toBe(0);
		await call("PATCH", `/articles/${seeded.id}`, { title: "Edited once", version: 1 });
		await call("PATCH", `/articles/${seeded.id}`, { title: "Edited twice", version: 2 });
		const { body } = await call("GET", `/articles/${seeded.id}/revisions`);
		const list = body.revisions as { version: number; title: string; editor: { name: string } }[];
		expect(list.map((r) => [r.version, r.title, r.editor.name])).toEqual([
			[3, "Edited twice", "Eda Editor"],
			[2, "Edited once", "Eda Editor"],
			[1, "Seeded title", "(before revisions were kept)"],
		]);
	});

	it("clears the topic with null or empty, and keeps it when left out", async () => {
		const made = await create({ topic: "energy", region: "china" });
		const { body } = await call("PATCH", `/articles/${made.id}`, { topic: "", region: null, version: 1 });
		expect(body).toMatchObject({ topic: null, region: null, version: 2 });
		const kept = await call("PATCH", `/articles/${made.id}`, { topic: "recycling", version: 2 });
		expect(kept.body).toMatchObject({ topic: { slug: "recycling" }, region: null });
	});

	it("refuses a stale version with 409 and the current article, writing nothing", async () => {
		const made = await create();
		await call("PATCH", `/articles/${made.id}`, { title: "Second", version: 1 });
		const row = await db.select().from(schema.articles).where(eq(schema.articles.id, made.id));
		const before = await counts(made.id);

		const { res, body } = await call("PATCH", `/articles/${made.id}`, { title: "Lost edit", slug: "lost", version: 1 });
		expect(res.status).toBe(409);
		expect(body.error.code).toBe("conflict");
		expect(body.error.message).toMatch(/version 2/);
		expect(body.current).toMatchObject({ id: made.id, title: "Second", version: 2, bodyMarkdown: NEW.bodyMarkdown });
		expect(await db.select().from(schema.articles).where(eq(schema.articles.id, made.id))).toEqual(row);
		expect(await counts(made.id)).toEqual(before);
	});

	it("writes nothing for an edit that changes nothing: 200 with the article as it is and a null purge", async () => {
		const made = await create({
			topic: "energy",
			region: "china",
			status: "published",
			publishedAt: "2025-01-02T03:04:05Z",
		});
		const row = await db.select().from(schema.articles).where(eq(schema.articles.id, made.id));
		const before = await counts(made.id);
		const same = {
			title: made.title,
			slug: made.slug,
			summary: NEW.summary,
			bodyMarkdown: NEW.bodyMarkdown,
			topic: "energy",
			region: "china",
			status: "published",
			publishedAt: "2025-01-02T03:04:05Z",
		};
		for (const patch of [{}, same, { title: `  ${made.title} ` }, { publishedAt: "" }]) {
			const { res, body } = await call("PATCH", `/articles/${made.id}`, { ...patch, version: 1 });
			expect(res.status, JSON.stringify(patch)).toBe(200);
			expect(body).toMatchObject({ id: made.id, version: 1, title: made.title, live: true, purge: null });
			expect(body.updatedAt).toBe(made.updatedAt);
		}
		expect(await db.select().from(schema.articles).where(eq(schema.articles.id, made.id))).toEqual(row);
		expect(await counts(made.id)).toEqual(before);

		// Based on an older version it is still refused: its sender has not seen the newer one.
		await call("PATCH", `/articles/${made.id}`, { title: "Second", version: 1 });
		const stale = await call("PATCH", `/articles/${made.id}`, { version: 1 });
		expect(stale.res.status).toBe(409);
		expect(stale.body.current).toMatchObject({ title: "Second", version: 2 });
	});

	it("publishes and unpublishes: readers see it, then get a 404", async () => {
		const made = await create();
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(404);
		const published = await call("PATCH", `/articles/${made.id}`, { status: "published", version: 1 });
		expect(published.body).toMatchObject({ status: "published", live: true });
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(200);
		const unpublished = await call("PATCH", `/articles/${made.id}`, { status: "draft", version: 2 });
		expect(unpublished.body).toMatchObject({ status: "draft", live: false });
		// The publication time is kept: publishing again does not make it news again.
		expect(unpublished.body.publishedAt).toBe(published.body.publishedAt);
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(404);
		expect((await auditActions(made.id)).map((a) => a.action)).toEqual([
			"article.create",
			"article.publish",
			"article.unpublish",
		]);
	});

	it("keeps a live article's time on edits, and publishes a scheduled one now when the time is cleared", async () => {
		const live = await create({ status: "published", publishedAt: "2025-01-02T03:04:05Z" });
		const edited = await call("PATCH", `/articles/${live.id}`, { summary: "New.", publishedAt: "", version: 1 });
		expect(edited.body.publishedAt).toBe("2025-01-02T03:04:05.000Z");

		const future = new Date(Date.now() + DAY).toISOString();
		const scheduled = await create({ status: "published", publishedAt: future, slug: "soon" });
		expect(scheduled.scheduled).toBe(true);
		const kept = await call("PATCH", `/articles/${scheduled.id}`, { title: "Soon!", version: 1 });
		expect(kept.body).toMatchObject({ publishedAt: future, scheduled: true });
		const now = await call("PATCH", `/articles/${scheduled.id}`, { publishedAt: null, version: 2 });
		expect(now.body).toMatchObject({ scheduled: false, live: true });
	});
});

describe("slugs", () => {
	it("refuses another article's slug, and another article's retired slug, with 409 on the slug field", async () => {
		const taken = await insertArticle({ slug: "taken", title: "The holder" });
		await insertRedirect("retired-elsewhere", taken.id);
		const made = await create({ slug: "mine" });

		for (const slug of ["taken", "retired-elsewhere"]) {
			const created = await call("POST", "/articles", { ...NEW, slug });
			expect(created.res.status, slug).toBe(409);
			expect(created.body.error.fields?.slug).toContain("The holder");
			const edited = await call("PATCH", `/articles/${made.id}`, { slug, version: 1 });
			expect(edited.res.status, slug).toBe(409);
			expect(Object.keys(edited.body.error.fields ?? {})).toEqual(["slug"]);
		}
		// Never a silent suffix: a title whose slug is taken is refused too.
		const clash = await call("POST", "/articles", { ...NEW, title: "Taken" });
		expect(clash.res.status).toBe(409);
		expect((await counts(made.id)).revisions).toBe(1);
	});

	it("keeps a 301 from every old slug of a published article, straight to the current one", async () => {
		const made = await create({ status: "published", slug: "first-name" });
		await call("PATCH", `/articles/${made.id}`, { slug: "second-name", version: 1 });
		const { body } = await call("PATCH", `/articles/${made.id}`, { slug: "third-name", version: 2 });
		expect(body.retiredSlugs).toEqual(["first-name", "second-name"]);
		for (const old of ["first-name", "second-name"]) {
			const res = await fetchApp(`/articles/${old}`, { redirect: "manual" });
			expect(res.status, old).toBe(301);
			expect(res.headers.get("location"), old).toBe("/articles/third-name");
		}
		expect((await fetchApp("/articles/third-name")).status).toBe(200);
		const redirects = await db.select().from(schema.slugRedirects);
		expect(redirects.every((r) => r.articleId === made.id)).toBe(true);

		// Back to an old slug: it is the address again, and the one just left redirects.
		const back = await call("PATCH", `/articles/${made.id}`, { slug: "first-name", version: 3 });
		expect(back.body.retiredSlugs.sort()).toEqual(["second-name", "third-name"]);
		expect((await fetchApp("/articles/first-name")).status).toBe(200);
		const third = await fetchApp("/articles/third-name", { redirect: "manual" });
		expect(third.headers.get("location")).toBe("/articles/first-name");
		expect((await auditActions(made.id)).at(-1)?.detail).toMatchObject({
			slug: "first-name",
			previousSlug: "third-name",
		});
	});

	it("leaves no redirect behind a draft that was never published", async () => {
		const made = await create({ slug: "draft-one" });
		const { body } = await call("PATCH", `/articles/${made.id}`, { slug: "draft-two", version: 1 });
		expect(body.retiredSlugs).toEqual([]);
		expect(await db.select().from(schema.slugRedirects)).toHaveLength(0);
		// Free for another article at once.
		expect((await create({ slug: "draft-one" })).slug).toBe("draft-one");
	});
});

describe("trash, restore and permanent delete", () => {
	it("trashes (readers get a 404 at once) and restores (readers see it again)", async () => {
		const made = await create({ status: "published" });
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(200);
		const trashed = await call("DELETE", `/articles/${made.id}`, { version: 1 });
		expect(trashed.res.status).toBe(200);
		expect(trashed.body).toMatchObject({ version: 2, live: false });
		expect(trashed.body.deletedAt).not.toBeNull();
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(404);
		expect((await call("GET", "/articles?status=trash")).body.articles).toHaveLength(1);
		expect((await call("GET", "/articles")).body.articles).toHaveLength(0);

		const stale = await call("POST", `/articles/${made.id}/restore`, { version: 1 });
		expect(stale.res.status).toBe(409);
		const restored = await call("POST", `/articles/${made.id}/restore`, { version: 2 }, withCookie);
		expect(restored.res.status).toBe(200);
		expect(restored.body).toMatchObject({ version: 3, deletedAt: null, live: true });
		expect((await fetchApp(`/articles/${made.slug}`)).status).toBe(200);
		expect((await auditActions(made.id)).map((a) => a.action)).toEqual([
			"article.create",
			"article.trash",
			"article.restore",
		]);
	});

	it("takes the version from ?version= or not at all", async () => {
		const made = await create();
		expect((await call("DELETE", `/articles/${made.id}?version=5`)).res.status).toBe(409);
		expect((await call("DELETE", `/articles/${made.id}?version=1`)).res.status).toBe(200);
		expect((await call("POST", `/articles/${made.id}/restore`)).res.status).toBe(200);
		expect((await call("DELETE", `/articles/${made.id}`, { version: "x" })).body.error.fields).toHaveProperty(
			"version",
		);
	});

	it("deletes for good only from the trash and only for an admin; the audit entry stays", async () => {
		const made = await create({ status: "published", slug: "doomed" });
		await call("PATCH", `/articles/${made.id}`, { slug: "doomed-2", version: 1 });

		const early = await call("DELETE", `/articles/${made.id}?permanent=true`, undefined, asAdmin);
		expect(early.res.status).toBe(409);
		await call("DELETE", `/articles/${made.id}`, { version: 2 });
		const byEditor = await call("DELETE", `/articles/${made.id}?permanent=true`, undefined, asEditor);
		expect(byEditor.res.status).toBe(403);
		expect(await counts(made.id)).toMatchObject({ revisions: 3, redirects: 1 });

		const { res, body } = await call("DELETE", `/articles/${made.id}?permanent=true`, undefined, asAdmin);
		expect(res.status).toBe(200);
		expect(body).toMatchObject({ id: made.id, slug: "doomed-2", destroyed: true });
		// In the trash it was already a 404 under every slug it had: readers see no change.
		expect(body.purge).toMatchObject({ keys: [], tags: [] });
		// D1 enforces the foreign keys: revisions and redirects went with the article.
		expect(await counts(made.id)).toMatchObject({ revisions: 0, redirects: 0 });
		expect(await db.select().from(schema.articles)).toHaveLength(0);
		expect((await auditActions(made.id)).at(-1)).toMatchObject({
			action: "article.destroy",
			editorEmail: admin.email,
			detail: { slug: "doomed-2", retiredSlugs: ["doomed"] },
		});
		expect((await call("GET", `/articles/${made.id}`)).res.status).toBe(404);
		expect((await fetchApp("/articles/doomed")).status).toBe(404);
	});
});

describe("revisions", () => {
	it("restores an earlier revision as a new version with the old content", async () => {
		const made = await create({ topic: "energy", status: "published" });
		await call("PATCH", `/articles/${made.id}`, {
			title: "Rewritten",
			bodyMarkdown: "All new.",
			topic: "recycling",
			version: 1,
		});
		const one = await call("GET", `/articles/${made.id}/revisions/1`);
		expect(one.body).toMatchObject({ version: 1, title: NEW.title, topic: { slug: "energy" } });
		expect((await call("GET", `/articles/${made.id}/revisions/9`)).res.status).toBe(404);

		const stale = await call("POST", `/articles/${made.id}/revisions/1/restore`, { version: 1 });
		expect(stale.res.status).toBe(409);
		const { res, body } = await call("POST", `/articles/${made.id}/revisions/1/restore`, { version: 2 });
		expect(res.status).toBe(200);
		expect(body).toMatchObject({
			version: 3,
			title: NEW.title,
			bodyMarkdown: NEW.bodyMarkdown,
			bodyHtml: "<p>First.</p>\n<p>Second.</p>\n",
			topic: { slug: "energy" },
			status: "published",
		});
		const list = (await call("GET", `/articles/${made.id}/revisions`)).body.revisions as { version: number }[];
		expect(list.map((r) => r.version)).toEqual([3, 2, 1]);
		expect((await auditActions(made.id)).at(-1)).toMatchObject({
			action: "article.revert",
			detail: { restoredVersion: 1, fromVersion: 2, toVersion: 3 },
		});
		const page = await fetchApp(`/articles/${made.slug}`);
		expect(await page.text()).toContain(NEW.title);
	});
});

describe("a change that lands between the checks and the batch", () => {
	async function racing(
		marker: RegExp,
		concurrentWrite: () => Promise<unknown>,
		method: string,
		path: string,
		json?: unknown,
	) {
		const DB = racingD1(marker, concurrentWrite);
		const res = await adminFetch(`/api/admin${path}`, asEditor, { method, json }, { ...env, DB });
		expectPrivate(res);
		return { res, body: (await res.json()) as Json & ErrorBody };
	}
	const bumpVersion = (id: number) => () =>
		env.DB.prepare("UPDATE articles SET version = version + 1, title = 'Theirs' WHERE id = ?").bind(id).run();

	it("a save based on a version saved meanwhile writes nothing: 409 with their text", async () => {
		const made = await create({ status: "published", slug: "racy" });
		const before = await counts(made.id);
		const { res, body } = await racing(/^update "articles"/, bumpVersion(made.id), "PATCH", `/articles/${made.id}`, {
			title: "Mine",
			slug: "racy-2",
			version: 1,
		});
		expect(res.status).toBe(409);
		expect(body.current).toMatchObject({ title: "Theirs", slug: "racy", version: 2, retiredSlugs: [] });
		expect(await counts(made.id)).toEqual(before);
	});

	it("a new slug taken meanwhile, as a retired one, writes nothing: 409 on the slug", async () => {
		const made = await create({ status: "published", slug: "mine" });
		const other = await insertArticle({ slug: "theirs" });
		const before = await counts(made.id);
		const { res, body } = await racing(
			/^update "articles"/,
			() => insertRedirect("wanted", other.id),
			"PATCH",
			`/articles/${made.id}`,
			{ slug: "wanted", version: 1 },
		);
		expect(res.status).toBe(409);
		expect(Object.keys(body.error.fields ?? {})).toEqual(["slug"]);
		expect(await counts(made.id)).toEqual({ ...before, redirects: 1 });
		expect((await call("GET", `/articles/${made.id}`)).body).toMatchObject({ slug: "mine", version: 1 });
	});

	it("a new article whose slug was taken meanwhile is not created: 409 on the slug", async () => {
		const { res, body } = await racing(
			/^insert into "articles"/,
			() => insertArticle({ slug: "first-come" }),
			"POST",
			"/articles",
			{ ...NEW, slug: "first-come" },
		);
		expect(res.status).toBe(409);
		expect(body.error.fields?.slug).toMatch(/first-come/);
		expect(await db.select().from(schema.articles)).toHaveLength(1);
		expect(await db.select().from(schema.auditLog)).toHaveLength(0);
		expect(await db.select().from(schema.articleRevisions)).toHaveLength(0);
	});

	it("a permanent delete of an article restored meanwhile deletes nothing", async () => {
		const made = await create();
		await call("DELETE", `/articles/${made.id}`, { version: 1 });
		const DB = racingD1(/^delete from "articles"/, () =>
			env.DB.prepare("UPDATE articles SET deleted_at = NULL WHERE id = ?").bind(made.id).run(),
		);
		const res = await adminFetch(
			`/api/admin/articles/${made.id}?permanent=true`,
			asAdmin,
			{ method: "DELETE" },
			{
				...env,
				DB,
			},
		);
		expect(res.status).toBe(409);
		expect(await counts(made.id)).toMatchObject({ revisions: 2 });
		expect((await auditActions(made.id)).map((a) => a.action)).toEqual(["article.create", "article.trash"]);
	});
});

describe("what a save purges", () => {
	const lists = ["list:home", "feed", "sitemap", "list:topic:energy"];

	it("a scheduled article purges only its own addresses until it goes live", async () => {
		const future = new Date(Date.now() + DAY).toISOString();
		const made = await create({ status: "published", publishedAt: future, topic: "energy", slug: "soon" });
		const edited = await call("PATCH", `/articles/${made.id}`, { title: "Soon, retitled", slug: "soon-2", version: 1 });
		const trashed = await call("DELETE", `/articles/${made.id}`, { version: 2 });
		for (const purge of [made.purge, edited.body.purge, trashed.body.purge]) {
			expect(purge.tags.filter((t) => !t.startsWith("article:"))).toEqual([]);
		}
		expect(edited.body.purge.tags.sort()).toEqual(["article:soon", "article:soon-2"]);
	});

	it("a live article's retitle purges the lists and the pages whose Related Articles show it", async () => {
		const made = await create({ status: "published", topic: "energy", slug: "now" });
		expect(made.purge.tags).toEqual(expect.arrayContaining(lists));
		const { body } = await call("PATCH", `/articles/${made.id}`, { title: "Now, retitled", version: 1 });
		expect(body.purge.tags).toEqual(expect.arrayContaining(["article:now", "shows:now", ...lists]));
		// Its place in the lists and the Related Articles pools did not move.
		expect(body.purge.tags.filter((t) => t.startsWith("pool:"))).toEqual([]);
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

describe("what readers see next", () => {
	const bearer = (auth: AdminAuthHeaders) => auth as { authorization: string };

	async function save(site: Env, method: string, path: string, json: unknown) {
		const res = await fetchWorker(
			`/api/admin${path}`,
			{ method, headers: { ...bearer(asEditor), "content-type": "application/json" }, body: JSON.stringify(json) },
			site,
		);
		expect(res.headers.get("x-cache")).toBe("BYPASS");
		expectPrivate(res);
		return { res, body: (await res.json()) as Json };
	}

	it("shows a save on the very next request, on the article's page and where Related Articles list it", async () => {
		const site = isolatedSite();
		const target = await insertArticle({ slug: "target", title: "Old title", topicId: taxa.topic.energy });
		await insertArticle({ slug: "neighbour", title: "Neighbour", topicId: taxa.topic.energy });
		for (const path of ["/articles/target", "/articles/neighbour", "/api/articles/target", "/"]) {
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("MISS");
			const hit = await fetchWorker(path, undefined, site);
			expect(hit.headers.get("x-cache"), path).toBe("HIT");
			expect(await hit.text(), path).toContain("Old title");
		}

		const { res, body } = await save(site, "PATCH", `/articles/${target.id}`, { title: "New title", version: 1 });
		expect(res.status).toBe(200);
		expect(body.purge.local.deleted).toBeGreaterThan(0);

		for (const path of ["/articles/target", "/articles/neighbour", "/api/articles/target", "/"]) {
			const next = await fetchWorker(path, undefined, site);
			expect(next.headers.get("x-cache"), path).toBe("MISS");
			const text = await next.text();
			expect(text, path).toContain("New title");
			expect(text, path).not.toContain("Old title");
		}
	});

	it("sends readers of a trashed article a 404, and of its old slug a 301, on the next request", async () => {
		const site = isolatedSite();
		const a = await insertArticle({ slug: "was-here" });
		expect((await fetchWorker("/articles/was-here", undefined, site)).status).toBe(200);
		expect((await fetchWorker("/articles/now-here", undefined, site)).status).toBe(404);
		await save(site, "PATCH", `/articles/${a.id}`, { slug: "now-here", version: 1 });
		const moved = await fetchWorker("/articles/was-here", { redirect: "manual" }, site);
		expect(moved.status).toBe(301);
		expect((await fetchWorker("/articles/now-here", undefined, site)).status).toBe(200);
		await save(site, "DELETE", `/articles/${a.id}`, { version: 2 });
		expect((await fetchWorker("/articles/now-here", undefined, site)).status).toBe(404);
	});
});

describe("manual purge", () => {
	it("validates the request", async () => {
		for (const [json, field] of [
			[{}, "slugs"],
			[{ slugs: [] }, "slugs"],
			[{ slugs: ["Bad Slug"] }, "slugs"],
			[{ slugs: "a" }, "slugs"],
			[{ slugs: Array.from({ length: 101 }, (_, i) => `s-${i}`) }, "slugs"],
			[{ all: "yes" }, "all"],
			[{ everything: true }, "everything"],
		] as const) {
			const { res, body } = await call("POST", "/purge", json);
			expect(res.status, JSON.stringify(json)).toBe(400);
			expect(body.error.fields, JSON.stringify(json)).toHaveProperty(field);
		}
	});

	it("purges named articles, and everything", async () => {
		const site = isolatedSite();
		await insertArticle({ slug: "cached", topicId: taxa.topic.energy });
		const cache = async (path: string) => (await fetchWorker(path, undefined, site)).headers.get("x-cache");
		const purge = async (json: unknown) => {
			const res = await fetchWorker(
				"/api/admin/purge",
				{
					method: "POST",
					headers: { ...(asEditor as { authorization: string }), "content-type": "application/json" },
					body: JSON.stringify(json),
				},
				site,
			);
			expect(res.status).toBe(200);
			expectPrivate(res);
			return (await res.json()) as Json["purge"];
		};
		for (const path of ["/articles/cached", "/about", "/robots.txt"]) {
			await cache(path);
			expect(await cache(path), path).toBe("HIT");
		}
		const some = await purge({ slugs: ["cached", "never-existed"] });
		expect(some.keys).toEqual(
			expect.arrayContaining([
				`${site.SITE_URL}/articles/cached`,
				`${site.SITE_URL}/articles/never-existed`,
				`${site.SITE_URL}/`,
			]),
		);
		expect(await cache("/articles/cached")).toBe("MISS");
		expect(await cache("/about")).toBe("HIT");

		const all = await purge({ all: true });
		expect(all).toMatchObject({ everything: true, keys: [], tags: [], local: { ok: true } });
		for (const path of ["/articles/cached", "/about", "/robots.txt"]) expect(await cache(path), path).toBe("MISS");
		for (const path of ["/articles/cached", "/about", "/robots.txt"]) expect(await cache(path), path).toBe("HIT");
	});
});
