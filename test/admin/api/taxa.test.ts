import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { abortSaveIfStale, updatePage } from "../../../src/db/queries/pages";
import { abortDeleteIfUsed, deleteTaxon, findAdminTaxon, listAdminTaxa } from "../../../src/db/queries/taxonomies";
import * as schema from "../../../src/db/schema";
import type { Db } from "../../../src/types";
import {
	countingD1,
	fetchApp,
	fetchWorker,
	freshTaxa,
	insertArticle,
	insertPage,
	isolatedSite,
	type TestTaxa,
	testDb,
} from "../../helpers";
import {
	adminFetch,
	createEditor,
	expectHtml,
	expectJsonError,
	expectPrivate,
	flashOf,
	racingD1,
	redirectTarget,
	sessionCookie,
	TEST_ORIGIN,
	workerAdminFetch,
} from "../helpers";

let taxa: TestTaxa;
let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	taxa = await freshTaxa();
	admin = { cookie: await sessionCookie(await createEditor({ role: "admin", name: "Ada Admin" })) };
	editor = { cookie: await sessionCookie(await createEditor({ role: "editor" })) };
});

async function auditRows(action?: string) {
	const rows = await testDb().select().from(schema.auditLog);
	return action ? rows.filter((r) => r.action === action) : rows;
}

function table(kind: "topic" | "region") {
	return kind === "topic" ? schema.topics : schema.regions;
}

describe.each(["topic", "region"] as const)("%ss as JSON", (kind) => {
	const base = `/api/admin/${kind}s`;
	const first = kind === "topic" ? "energy" : "china";
	const column = kind === "topic" ? "topicId" : "regionId";

	it("lists every one with how many articles use it, drafts and trash included", async () => {
		const id = taxa[kind][first] as number;
		await insertArticle({ [column]: id });
		await insertArticle({ [column]: id, status: "draft", publishedAt: null });
		await insertArticle({ [column]: id, deletedAt: Date.now() });
		const res = await adminFetch(base, admin);
		expect(res.status).toBe(200);
		expectPrivate(res);
		const body = (await res.json()) as Record<string, { slug: string; name: string; articleCount: number }[]>;
		const list = body[`${kind}s`] ?? [];
		expect(list).toHaveLength(3);
		expect(list.find((t) => t.slug === first)?.articleCount).toBe(3);
		expect(list.filter((t) => t.slug !== first).every((t) => t.articleCount === 0)).toBe(true);
	});

	it("creates one (201), logs it, and the public list shows it", async () => {
		const res = await adminFetch(base, admin, { json: { slug: "magnets", name: "  Magnets  " } });
		expect(res.status).toBe(201);
		expectPrivate(res);
		const body = (await res.json()) as Record<string, unknown> & { purge: { keys: string[] } };
		expect(body).toMatchObject({ slug: "magnets", name: "Magnets", articleCount: 0 });
		expect(body.purge.keys.length).toBeGreaterThan(0);
		const [entry] = await auditRows(`${kind}.create`);
		expect(entry).toMatchObject({ subject: `${kind}:magnets` });
		expect(JSON.parse(entry?.detail ?? "")).toEqual({ name: "Magnets" });
		const pub = (await (await fetchApp(`/api/${kind}s`)).json()) as { slug: string }[];
		expect(pub.map((t) => t.slug)).toContain("magnets");
	});

	it("refuses bad input with a message per field, and a taken slug with 409", async () => {
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "Not A Slug", name: "" } }), 400, [
			"slug",
			"name",
		]);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "n".repeat(81) } }), 400, ["name"]);
		await expectJsonError(await adminFetch(base, admin, { json: { name: 12 } }), 400, ["slug", "name"]);
		const clash = await expectJsonError(await adminFetch(base, admin, { json: { slug: first, name: "Again" } }), 409, [
			"slug",
		]);
		expect(clash.code).toBe("conflict");
		await expectJsonError(await adminFetch(base, admin, { method: "POST" }), 415);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "ok", name: "Ok", nmae: "typo" } }), 400, [
			"nmae",
		]);
		const malformed = await fetchApp(base, {
			method: "POST",
			headers: { ...admin, origin: TEST_ORIGIN, "content-type": "application/json" },
			body: "{not json",
		});
		await expectJsonError(malformed, 400);
		expect(await testDb().select().from(table(kind))).toHaveLength(3);
		expect(await auditRows()).toHaveLength(0);
	});

	it("renames name and slug; the old list address is gone, the new one answers", async () => {
		const id = taxa[kind][first] as number;
		await insertArticle({ [column]: id });
		const res = await adminFetch(`${base}/${first}`, admin, {
			method: "PATCH",
			json: { slug: "renamed", name: "Renamed" },
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown> & { purge: { keys: string[] } };
		expect(body).toMatchObject({ id, slug: "renamed", name: "Renamed", articleCount: 1 });
		// Both the old and the new list pages are purged.
		expect(body.purge.keys.some((k) => k.includes(`/${kind}s/${first}`))).toBe(true);
		expect(body.purge.keys.some((k) => k.includes(`/${kind}s/renamed`))).toBe(true);
		expect((await fetchApp(`/${kind}s/${first}`)).status).toBe(404);
		expect(await (await fetchApp(`/${kind}s/renamed`)).text()).toContain("Renamed");
		const [entry] = await auditRows(`${kind}.update`);
		expect(entry?.subject).toBe(`${kind}:renamed`);
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({ from: { slug: first }, to: { slug: "renamed" } });
	});

	it("changes only what is sent; nothing to change writes nothing", async () => {
		const res = await adminFetch(`${base}/${first}`, admin, { method: "PATCH", json: { name: "New name" } });
		expect(await res.json()).toMatchObject({ slug: first, name: "New name" });
		const same = await adminFetch(`${base}/${first}`, admin, { method: "PATCH", json: {} });
		expect(same.status).toBe(200);
		expect(((await same.json()) as { purge: unknown }).purge).toBeNull();
		expect(await auditRows(`${kind}.update`)).toHaveLength(1);
	});

	it("answers 404 for an unknown one and 409 for a rename onto a taken slug", async () => {
		await expectJsonError(await adminFetch(`${base}/nowhere`, admin), 404);
		await expectJsonError(await adminFetch(`${base}/nowhere`, admin, { method: "PATCH", json: { name: "X" } }), 404);
		await expectJsonError(await adminFetch(`${base}/nowhere`, admin, { method: "DELETE" }), 404);
		const other = Object.keys(taxa[kind]).find((s) => s !== first);
		await expectJsonError(
			await adminFetch(`${base}/${first}`, admin, { method: "PATCH", json: { slug: other } }),
			409,
			["slug"],
		);
	});

	it("deletes one no article uses, and refuses (409, nothing changed) one in use, even by a trashed draft", async () => {
		const id = taxa[kind][first] as number;
		const article = await insertArticle({ [column]: id, status: "draft", publishedAt: null, deletedAt: Date.now() });
		const refused = await expectJsonError(await adminFetch(`${base}/${first}`, admin, { method: "DELETE" }), 409);
		expect(refused.message).toContain("1 article uses");
		const [stored] = await testDb().select().from(schema.articles).where(eq(schema.articles.id, article.id));
		expect(stored?.[column]).toBe(id);

		const unused = Object.keys(taxa[kind]).find((s) => s !== first) as string;
		const res = await adminFetch(`${base}/${unused}`, admin, { method: "DELETE" });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ slug: unused, deleted: true, purge: { tags: expect.any(Array) } });
		expect(await findAdminTaxon(testDb(), kind, unused)).toBeNull();
		expect(await auditRows(`${kind}.delete`)).toHaveLength(1);
	});

	it("is for admins only: 403 for an editor, 401 without credentials, 403 for a cookie POST without Origin", async () => {
		await expectJsonError(await adminFetch(base, editor), 403);
		await expectJsonError(await adminFetch(base, editor, { json: { slug: "x", name: "X" } }), 403);
		await expectJsonError(await adminFetch(`${base}/${first}`, editor, { method: "DELETE" }), 403);
		await expectJsonError(await fetchApp(base), 401);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "X" }, origin: null }), 403);
		await expectJsonError(
			await adminFetch(base, admin, { json: { slug: "x", name: "X" }, origin: "https://evil.example" }),
			403,
		);
		expect(await findAdminTaxon(testDb(), kind, "x")).toBeNull();
	});
});

describe("the taxon delete guard (query level)", () => {
	it("rolls the delete back when an article uses the topic by the time the batch runs", async () => {
		const db = testDb();
		const id = taxa.topic.energy as number;
		await insertArticle({ topicId: id });
		await expect(db.batch([abortDeleteIfUsed(db, "topic", id), deleteTaxon(db, "topic", id)])).rejects.toThrow();
		expect((await findAdminTaxon(db, "topic", "energy"))?.articleCount).toBe(1);
		const unused = taxa.topic.recycling as number;
		await db.batch([abortDeleteIfUsed(db, "topic", unused), deleteTaxon(db, "topic", unused)]);
		expect((await listAdminTaxa(db, "topic")).map((t) => t.slug)).not.toContain("recycling");
	});
});

describe("indexes", () => {
	async function plansOf(run: (db: Db) => Promise<unknown>) {
		const recorder = countingD1(env.DB);
		await run(testDb(recorder.db));
		const plans: string[] = [];
		for (const q of recorder.queries) {
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
				.bind(...q.params)
				.all<{ detail: string }>();
			plans.push(results.map((r) => r.detail).join("\n"));
		}
		return plans;
	}

	// Any covering index led by the taxon's column counts its articles by their entries alone; for a
	// topic, SQLite may as well take the topic-and-region index as the topic one.
	it.each([
		["topic", "topics_slug_unique", "articles_topic_(region_)?idx"],
		["region", "regions_slug_unique", "articles_region_idx"],
	] as const)(
		"the %s list walks the slug index and counts articles through their index",
		async (kind, own, counted) => {
			const [plan] = await plansOf((db) => listAdminTaxa(db, kind));
			expect(plan).toContain(`USING INDEX ${own}`);
			expect(plan).toMatch(new RegExp(`SEARCH articles USING COVERING INDEX ${counted} \\(\\w+_id=\\?\\)`));
			expect(plan).not.toContain("TEMP B-TREE");
		},
	);
});

describe("the admin navigation", () => {
	it("links editors only to screens they may use; admins also to topics, regions, tokens, editors, audit", async () => {
		const admins = ["/admin/topics", "/admin/regions", "/admin/tokens", "/admin/editors", "/admin/audit"];
		const everyone = ["/admin", "/admin/articles/new", "/admin/pages", "/admin/purge"];
		const nav = (html: string) => html.slice(html.indexOf('<nav class="admin-nav"'), html.indexOf("</nav>"));
		const asEditor = nav(await (await adminFetch("/admin/purge", editor)).text());
		const asAdmin = nav(await (await adminFetch("/admin/purge", admin)).text());
		for (const href of everyone) {
			expect(asEditor).toContain(`href="${href}"`);
			expect(asAdmin).toContain(`href="${href}"`);
		}
		for (const href of admins) {
			expect(asEditor).not.toContain(`href="${href}"`);
			expect(asAdmin).toContain(`href="${href}"`);
			// What the link would lead an editor to.
			expectHtml(await adminFetch(href, editor), 403);
		}
	});
});

describe("topics and regions as HTML", () => {
	it("lists them with counts and a form to add one", async () => {
		await insertArticle({ topicId: taxa.topic.energy });
		const res = await adminFetch("/admin/topics", admin);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<a href="/admin/topics/energy">Energy</a>');
		expect(html).toMatch(/<code>energy<\/code><\/td><td class="num">1<\/td>/);
		expect(html).toContain('<form class="form" method="post" action="/admin/topics">');
		expect(html).toContain('aria-current="page"');
	});

	it("says so as an error when the global purge failed, though the change is saved", async () => {
		const zoneDown = vi
			.spyOn(globalThis, "fetch")
			.mockResolvedValue(
				Response.json({ success: false, errors: [{ code: 10000, message: "denied" }] }, { status: 403 }),
			);
		try {
			const bindings = { ...env, CF_ZONE_ID: "zone-1", CF_API_TOKEN: "token-1" };
			const res = await adminFetch("/admin/regions", admin, { form: { slug: "japan", name: "Japan" } }, bindings);
			const next = await adminFetch(redirectTarget(res).location, admin, {}, bindings);
			expect(flashOf(await next.text())).toEqual({
				kind: "error",
				text: expect.stringMatching(/^Added “Japan”\. \d+ cached cop(?:y|ies) cleared here; zone purge failed\.$/),
			});
			expect(zoneDown).toHaveBeenCalled();
			expect(await findAdminTaxon(testDb(), "region", "japan")).not.toBeNull();
		} finally {
			zoneDown.mockRestore();
		}
	});

	it("adds one: 303 back to the list, which then shows what was purged, to this session only", async () => {
		const res = await adminFetch("/admin/regions", admin, { form: { slug: "japan", name: "Japan" } });
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/regions");
		const next = await adminFetch(location, admin);
		expectHtml(next, 200);
		const html = await next.text();
		expect(flashOf(html)).toEqual({ kind: "ok", text: expect.stringContaining("Added “Japan”.") });
		expect(html).toMatch(/cleared here; no global purge configured\./);
		// The list itself says nothing; nor does the same address opened in another admin's session.
		expect(flashOf(await (await adminFetch("/admin/regions", admin)).text())).toBeNull();
		const otherAdmin = { cookie: await sessionCookie(await createEditor({ role: "admin" })) };
		const copied = await adminFetch(location, otherAdmin);
		expectHtml(copied, 200);
		expect(flashOf(await copied.text())).toBeNull();
		expect(await findAdminTaxon(testDb(), "region", "japan")).not.toBeNull();
	});

	it("shows a message after a redirect only as this session's admin wrote it, escaped", async () => {
		const EVIL = "<img src=x onerror=alert(1)>";
		const res = await adminFetch("/admin/topics", admin, { form: { slug: "evil", name: EVIL } });
		const { location } = redirectTarget(res);
		const html = await (await adminFetch(location, admin)).text();
		expect(flashOf(html)?.text).toContain("Added “&lt;img src=x onerror=alert(1)&gt;”.");
		expect(html).not.toContain("<img src=x");

		// A crafted link: its own words, or the genuine words moved to another page or reworded.
		const url = new URL(location, "http://localhost");
		const signature = url.searchParams.get("sig") ?? "";
		const forged = [
			`/admin/topics?flash=ok%3AYour+session+expired%2C+sign+in+at+evil.example&sig=${"A".repeat(43)}`,
			`/admin/topics?flash=ok%3ASaved.&sig=${signature}`,
			`/admin/regions${url.search}`,
			`/admin/topics?${url.searchParams.toString().replace("flash=ok", "flash=error")}`,
			"/admin/topics?flash=ok%3AHello&sig=not-a-signature",
		];
		for (const path of forged) {
			const page = await adminFetch(path, admin);
			expectHtml(page, 200);
			const text = await page.text();
			expect(flashOf(text), path).toBeNull();
			expect(text).not.toContain("evil.example");
		}
	});

	it("shows bad input again with inline messages and the input kept", async () => {
		const res = await adminFetch("/admin/topics", admin, { form: { slug: "Bad Slug!", name: "" } });
		expectHtml(res, 400);
		const html = await res.text();
		expect(html).toContain('value="Bad Slug!"');
		expect(html).toContain('<p class="field-error" id="topic-slug-error">Use lowercase letters');
		expect(html).toContain('<p class="field-error" id="topic-name-error">Required.</p>');
		expect(html).toContain('aria-invalid="true"');

		const clash = await adminFetch("/admin/topics", admin, { form: { slug: "energy", name: "Energy two" } });
		expectHtml(clash, 409);
		const clashHtml = await clash.text();
		expect(clashHtml).toContain('value="Energy two"');
		expect(clashHtml).toContain("is taken; choose another.");
	});

	it("renames one from its page, which warns that a new slug breaks the old address", async () => {
		const page = await adminFetch("/admin/topics/energy", admin);
		expectHtml(page, 200);
		const html = await page.text();
		expect(html).toContain("the old address /topics/energy then answers");
		expect(html).toContain('value="Energy"');
		const res = await adminFetch("/admin/topics/energy", admin, { form: { slug: "power", name: "Power" } });
		expect(redirectTarget(res).path).toBe("/admin/topics/power");
		expect(await findAdminTaxon(testDb(), "topic", "power")).toMatchObject({ name: "Power" });

		const bad = await adminFetch("/admin/topics/power", admin, { form: { slug: "power", name: "x".repeat(81) } });
		expectHtml(bad, 400);
		expect(await bad.text()).toContain("At most 80 characters (this is 81).");
	});

	it("deletes an unused one, and explains instead of deleting one in use", async () => {
		await insertArticle({ regionId: taxa.region.china });
		await insertArticle({ regionId: taxa.region.china, status: "draft", publishedAt: null });
		const page = await (await adminFetch("/admin/regions/china", admin)).text();
		expect(page).toContain("2 articles use it (drafts and trash included), so it cannot");
		expect(page).not.toContain('action="/admin/regions/china/delete"');
		const refused = await adminFetch("/admin/regions/china/delete", admin, { form: {} });
		expectHtml(refused, 409);
		expect(await refused.text()).toContain("2 articles use this region");
		expect(await findAdminTaxon(testDb(), "region", "china")).not.toBeNull();

		expect(await (await adminFetch("/admin/regions/global", admin)).text()).toContain(
			'action="/admin/regions/global/delete"',
		);
		const res = await adminFetch("/admin/regions/global/delete", admin, { form: {} });
		expect(res.status).toBe(303);
		expect(await findAdminTaxon(testDb(), "region", "global")).toBeNull();
	});

	it("answers 404 for an unknown one, 403 to editors, 302 without a session, 403 without Origin", async () => {
		expectHtml(await adminFetch("/admin/topics/nowhere", admin), 404);
		expectHtml(await adminFetch("/admin/topics/nowhere/delete", admin, { form: {} }), 404);
		expectHtml(await adminFetch("/admin/topics", editor), 403);
		expectHtml(await adminFetch("/admin/topics/energy", editor, { form: { slug: "x", name: "X" } }), 403);
		const anon = await fetchApp("/admin/topics", { redirect: "manual" });
		expect(anon.status).toBe(302);
		expectPrivate(anon);
		expect(anon.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Ftopics");
		expectHtml(await adminFetch("/admin/topics", admin, { form: { slug: "x", name: "X" }, origin: null }), 403);
		expect(await findAdminTaxon(testDb(), "topic", "x")).toBeNull();
	});
});

describe("pages as JSON", () => {
	beforeEach(async () => {
		await insertPage("about", "About Samarium", "We write about **magnets**.");
		await insertPage("services", "Services", "Consulting.");
	});

	it("lists them and reads one (editors too)", async () => {
		const list = await adminFetch("/api/admin/pages", editor);
		expect(list.status).toBe(200);
		expectPrivate(list);
		expect(((await list.json()) as { pages: { slug: string }[] }).pages.map((p) => p.slug)).toEqual([
			"about",
			"services",
		]);
		const res = await adminFetch("/api/admin/pages/about", editor);
		expect(await res.json()).toEqual({
			slug: "about",
			title: "About Samarium",
			bodyMarkdown: "We write about **magnets**.",
			bodyHtml: "<p>We write about <strong>magnets</strong>.</p>\n",
			updatedAt: "2026-01-02T00:00:00.000Z",
		});
	});

	it("saves title and Markdown, renders the HTML, logs it", async () => {
		const res = await adminFetch("/api/admin/pages/about", editor, {
			method: "PUT",
			json: {
				title: " About us ",
				bodyMarkdown: "Line one.\r\n\r\nLine *two*.",
				updatedAt: "2026-01-02T00:00:00.000Z",
			},
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as { title: string; bodyHtml: string; bodyMarkdown: string; updatedAt: string };
		expect(body).toMatchObject({
			title: "About us",
			bodyMarkdown: "Line one.\n\nLine *two*.",
			bodyHtml: "<p>Line one.</p>\n<p>Line <em>two</em>.</p>\n",
		});
		expect(Date.parse(body.updatedAt)).toBeGreaterThan(Date.UTC(2026, 0, 2));
		const [entry] = await auditRows("page.update");
		expect(entry).toMatchObject({ subject: "page:about" });
		const pub = (await (await fetchApp("/api/pages/about")).json()) as { title: string; bodyHtml: string };
		expect(pub.title).toBe("About us");
	});

	it("refuses a stale save with 409 and the stored page, writing nothing", async () => {
		const res = await adminFetch("/api/admin/pages/about", editor, {
			method: "PUT",
			json: { title: "Mine", bodyMarkdown: "My text.", updatedAt: "2025-12-31T00:00:00.000Z" },
		});
		expect(res.status).toBe(409);
		const body = (await res.json()) as { error: { code: string }; current: { title: string } };
		expect(body.error.code).toBe("conflict");
		expect(body.current.title).toBe("About Samarium");
		const [stored] = await testDb().select().from(schema.pages).where(eq(schema.pages.slug, "about"));
		expect(stored?.title).toBe("About Samarium");
		expect(await auditRows()).toHaveLength(0);
	});

	it("refuses bad input with fields, unknown pages with 404", async () => {
		await expectJsonError(
			await adminFetch("/api/admin/pages/about", editor, {
				method: "PUT",
				json: { title: "", bodyMarkdown: "x".repeat(100_001), updatedAt: "yesterday" },
			}),
			400,
			["title", "bodyMarkdown", "updatedAt"],
		);
		await expectJsonError(
			await adminFetch("/api/admin/pages/about", editor, { method: "PUT", json: { title: "T".repeat(201) } }),
			400,
			["title", "bodyMarkdown"],
		);
		await expectJsonError(await adminFetch("/api/admin/pages/careers", editor), 404);
		await expectJsonError(
			await adminFetch("/api/admin/pages/careers", editor, { method: "PUT", json: { title: "T", bodyMarkdown: "B" } }),
			404,
		);
		await expectJsonError(await fetchApp("/api/admin/pages"), 401);
		await expectJsonError(
			await adminFetch("/api/admin/pages/about", editor, {
				method: "PUT",
				json: { title: "T", bodyMarkdown: "B" },
				origin: null,
			}),
			403,
		);
	});

	it("refuses a body over 1 MiB with 413 even when streamed without a length, and text/plain with 415", async () => {
		const big = JSON.stringify({ title: "Big", bodyMarkdown: "b".repeat(1_100_000) });
		const streamedPut = (): RequestInit => ({
			method: "PUT",
			headers: { ...editor, origin: TEST_ORIGIN, "content-type": "application/json" },
			body: new Blob([big]).stream(),
		});
		// A stream announces no length: only reading it finds it too large.
		expect(new Request("http://localhost/", streamedPut()).headers.get("content-length")).toBeNull();
		const streamed = await fetchApp("/api/admin/pages/about", streamedPut());
		const tooLarge = await expectJsonError(streamed, 413);
		expect(tooLarge.code).toBe("payload_too_large");
		const text = await expectJsonError(
			await fetchApp("/api/admin/pages/about", {
				method: "PUT",
				headers: { ...editor, origin: TEST_ORIGIN, "content-type": "text/plain" },
				body: JSON.stringify({ title: "T", bodyMarkdown: "B" }),
			}),
			415,
		);
		expect(text.code).toBe("unsupported_media_type");
		expect((await testDb().select().from(schema.pages).where(eq(schema.pages.slug, "about")))[0]?.title).toBe(
			"About Samarium",
		);
		expect(await auditRows()).toHaveLength(0);
	});
});

describe("the page save guard (query level)", () => {
	it("rolls the save back when the page changed since it was loaded", async () => {
		await insertPage("about", "About", "Text.");
		const db = testDb();
		const values = { title: "New", bodyMarkdown: "New.", bodyHtml: "<p>New.</p>\n", updatedAt: Date.now() };
		await expect(
			db.batch([abortSaveIfStale(db, "about", Date.UTC(2020, 0, 1)), updatePage(db, "about", values)]),
		).rejects.toThrow();
		expect((await db.select().from(schema.pages))[0]?.title).toBe("About");
		await db.batch([abortSaveIfStale(db, "about", Date.UTC(2026, 0, 2)), updatePage(db, "about", values)]);
		expect((await db.select().from(schema.pages))[0]?.title).toBe("New");
	});
});

describe("pages as HTML", () => {
	beforeEach(async () => {
		await insertPage("about", "About Samarium", "We write about magnets.");
	});

	it("lists the pages and opens one in a form with its version hidden", async () => {
		const list = await adminFetch("/admin/pages", editor);
		expectHtml(list, 200);
		expect(await list.text()).toContain('<a href="/admin/pages/about">About Samarium</a>');
		const res = await adminFetch("/admin/pages/about", editor);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain(`<input type="hidden" name="updatedAt" value="${Date.UTC(2026, 0, 2)}"/>`);
		expect(html).toContain(">\nWe write about magnets.</textarea>");
	});

	it("previews with the site's renderer and saves nothing", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "preview", title: "About", bodyMarkdown: "Hello *there* <script>x</script>", updatedAt: "1" },
		});
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<div class="preview prose"><p>Hello <em>there</em> &lt;script&gt;x&lt;/script&gt;</p>');
		expect(html).toContain("Hello *there* &lt;script&gt;x&lt;/script&gt;</textarea>");
		expect(await auditRows()).toHaveLength(0);
	});

	it("saves and redirects to the form, which then reports the purge", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "About us", bodyMarkdown: "New text.", updatedAt: String(Date.UTC(2026, 0, 2)) },
		});
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/pages/about");
		const next = await adminFetch(location, editor);
		const html = await next.text();
		expect(flashOf(html)?.text).toContain("Saved “About us”.");
		expect(html).toContain("cleared here");
		expect(html).toContain(">\nNew text.</textarea>");
	});

	it("keeps the editor's text on a stale save (409) and shows the stored text in full beside it", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "Mine", bodyMarkdown: "My careful text.", updatedAt: "1000" },
		});
		expectHtml(res, 409);
		const html = await res.text();
		expect(html).toContain(">\nMy careful text.</textarea>");
		expect(html).toContain('value="Mine"');
		// Pages keep no revisions: their text is on the page itself, never folded away.
		expect(html).toContain('<h2 id="theirs-heading">Their text, saved now</h2>');
		expect(html).toContain("<dd>About Samarium</dd>");
		expect(html).toContain('<pre class="code">We write about magnets.</pre>');
		expect(html).not.toContain("<details");
		expect(html).toContain("If you save again, your text replaces theirs");
		// Said once, in the conflict panel: no second error box above the form.
		expect(html.match(/role="alert"/g)).toHaveLength(1);
		expect(html).not.toContain('class="flash flash-error"');
		// Written by the seed, not through the admin: nobody is named.
		expect(html).toContain("Someone else saved it at");
		// Saving again from this form is a deliberate overwrite of what is stored now.
		expect(html).toContain(`name="updatedAt" value="${Date.UTC(2026, 0, 2)}"`);
		expect((await testDb().select().from(schema.pages))[0]?.title).toBe("About Samarium");
	});

	it("names who saved in between, from the audit log", async () => {
		const loaded = String(Date.UTC(2026, 0, 2));
		const first = await adminFetch("/admin/pages/about", admin, {
			form: { intent: "save", title: "About", bodyMarkdown: "Words by Ada.", updatedAt: loaded },
		});
		expect(first.status).toBe(303);
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "About", bodyMarkdown: "Mine.", updatedAt: loaded },
		});
		expectHtml(res, 409);
		const html = await res.text();
		const [stored] = await testDb().select().from(schema.pages);
		expect(html).toMatch(/Ada Admin \(editor\d+-\d+@samarium\.test\) saved it at <time datetime="[^"]+"/);
		expect(html).toContain(`<time datetime="${new Date(stored?.updatedAt ?? 0).toISOString()}"`);
		expect(html).toContain('<pre class="code">Words by Ada.</pre>');
	});

	it("shows bad input inline with the input kept; unknown pages are 404", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "", bodyMarkdown: "Kept body.", updatedAt: String(Date.UTC(2026, 0, 2)) },
		});
		expectHtml(res, 400);
		const html = await res.text();
		expect(html).toContain('<p class="field-error" id="page-title-error">Required.</p>');
		expect(html).toContain(">\nKept body.</textarea>");
		expectHtml(await adminFetch("/admin/pages/careers", editor), 404);
		expectHtml(await adminFetch("/admin/pages/careers", editor, { form: { intent: "preview" } }), 404);
		expect((await fetchApp("/admin/pages", { redirect: "manual" })).status).toBe(302);
	});
});

describe("readers see a change on their very next request", () => {
	it("renaming a topic through the form changes its list page and its articles' pages", async () => {
		const bindings = isolatedSite();
		const article = await insertArticle({ topicId: taxa.topic.energy, title: "Grid batteries" });
		for (const path of ["/topics/energy", `/articles/${article.slug}`]) {
			const miss = await fetchWorker(path, undefined, bindings);
			expect(miss.headers.get("x-cache")).toBe("MISS");
			const hit = await fetchWorker(path, undefined, bindings);
			expect(hit.headers.get("x-cache")).toBe("HIT");
			expect(await hit.text()).toContain("Energy");
		}
		const save = await workerAdminFetch(
			"/admin/topics/energy",
			admin,
			{ form: { slug: "energy", name: "Power & Grid" } },
			bindings,
		);
		expect(save.status).toBe(303);
		for (const path of ["/topics/energy", `/articles/${article.slug}`]) {
			const after = await fetchWorker(path, undefined, bindings);
			expect(after.headers.get("x-cache")).toBe("MISS");
			expect(await after.text()).toContain("Power &amp; Grid");
		}
	});

	it("a topic's new slug answers at once, and its JSON list too", async () => {
		const bindings = isolatedSite();
		expect((await fetchWorker("/topics/power", undefined, bindings)).status).toBe(404);
		await fetchWorker("/api/topics", undefined, bindings);
		expect((await fetchWorker("/api/topics", undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		const save = await workerAdminFetch(
			"/api/admin/topics/energy",
			admin,
			{ method: "PATCH", json: { slug: "power" } },
			bindings,
		);
		expect(save.status).toBe(200);
		expect((await fetchWorker("/topics/power", undefined, bindings)).status).toBe(200);
		expect((await fetchWorker("/topics/energy", undefined, bindings)).status).toBe(404);
		const topics = (await (await fetchWorker("/api/topics", undefined, bindings)).json()) as { slug: string }[];
		expect(topics.map((t) => t.slug)).toContain("power");
	});

	it("editing About (form or JSON) changes /about and /api/pages/about on the next request", async () => {
		const bindings = isolatedSite();
		await insertPage("about", "About Samarium", "Old words.");
		for (const path of ["/about", "/api/pages/about"]) {
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("MISS");
			const hit = await fetchWorker(path, undefined, bindings);
			expect(hit.headers.get("x-cache")).toBe("HIT");
			expect(await hit.text()).toContain("Old words.");
		}
		const form = await workerAdminFetch(
			"/admin/pages/about",
			editor,
			{
				form: {
					intent: "save",
					title: "About Samarium",
					bodyMarkdown: "New words.",
					updatedAt: String(Date.UTC(2026, 0, 2)),
				},
			},
			bindings,
		);
		expect(form.status).toBe(303);
		for (const path of ["/about", "/api/pages/about"]) {
			const after = await fetchWorker(path, undefined, bindings);
			expect(after.headers.get("x-cache")).toBe("MISS");
			expect(await after.text()).toContain("New words.");
		}
		expect((await fetchWorker("/about", undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		const put = await workerAdminFetch(
			"/api/admin/pages/about",
			editor,
			{ method: "PUT", json: { title: "About Samarium", bodyMarkdown: "Newest words." } },
			bindings,
		);
		expect(put.status).toBe(200);
		expect(await (await fetchWorker("/about", undefined, bindings)).text()).toContain("Newest words.");
	});
});

describe("the purge screen", () => {
	it("is there for editors, with a form for slugs and one for everything", async () => {
		const res = await adminFetch("/admin/purge", editor);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<textarea id="purge-slugs" name="slugs"');
		expect(html).toContain('<input type="hidden" name="intent" value="all"/>');
	});

	it("purges the given articles, shows what went, and readers get a fresh copy next", async () => {
		const bindings = isolatedSite();
		const a = await insertArticle({ topicId: taxa.topic.energy });
		for (const path of [`/articles/${a.slug}`, "/api/regions"]) {
			await fetchWorker(path, undefined, bindings);
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		}
		const res = await workerAdminFetch(
			"/admin/purge",
			editor,
			{ form: { intent: "slugs", slugs: `${a.slug}\r\n` } },
			bindings,
		);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<h2 id="report-heading">Purged</h2>');
		expect(html).toMatch(/\d+ cached cop(y|ies) cleared here; no global purge configured\./);
		expect(html).toContain(`<code>${bindings.SITE_URL}/articles/${a.slug}</code>`);
		expect(html).toContain(`<code>${bindings.SITE_URL}/topics/energy</code>`);
		expect((await fetchWorker(`/articles/${a.slug}`, undefined, bindings)).headers.get("x-cache")).toBe("MISS");
		// Only what shows the article goes.
		expect((await fetchWorker("/api/regions", undefined, bindings)).headers.get("x-cache")).toBe("HIT");

		const [entry, ...more] = await auditRows("purge");
		expect(more).toHaveLength(0);
		expect(entry).toMatchObject({ subject: "articles", editorEmail: expect.stringContaining("@samarium.test") });
		const detail = JSON.parse(entry?.detail ?? "");
		expect(detail).toMatchObject({
			slugs: [a.slug],
			cleared: expect.any(Number),
			local: "ok",
			workersCache: expect.any(String),
			zone: "skipped",
		});
		expect(detail.keys).toBeGreaterThan(0);
		expect(detail.tags).toBeGreaterThan(0);
	});

	it("purges everything", async () => {
		const bindings = isolatedSite();
		const a = await insertArticle();
		for (const path of ["/", `/articles/${a.slug}`]) {
			await fetchWorker(path, undefined, bindings);
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		}
		const res = await workerAdminFetch("/admin/purge", editor, { form: { intent: "all" } }, bindings);
		expectHtml(res, 200);
		expect(await res.text()).toContain("Purged everything");
		for (const path of ["/", `/articles/${a.slug}`]) {
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("MISS");
		}
		const [entry] = await auditRows("purge");
		expect(entry?.subject).toBe("site");
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({
			everything: true,
			cleared: expect.any(Number),
			local: "ok",
			zone: "skipped",
		});
	});

	it("logs a purge asked for as JSON too, with what was asked and what it did; a refused one logs nothing", async () => {
		const bindings = isolatedSite();
		const some = await workerAdminFetch(
			"/api/admin/purge",
			editor,
			{ json: { slugs: [" one-slug", "two-slug", "one-slug"] } },
			bindings,
		);
		expect(some.status).toBe(200);
		expectPrivate(some);
		const report = (await some.json()) as { keys: string[]; tags: string[]; local: { deleted: number } };
		const all = await workerAdminFetch("/api/admin/purge", editor, { json: { all: true } }, bindings);
		expect(all.status).toBe(200);
		await expectJsonError(
			await workerAdminFetch("/api/admin/purge", editor, { json: { slugs: ["Bad/Slug"] } }, bindings),
			400,
			["slugs"],
		);

		const entries = await auditRows("purge");
		expect(entries.map((e) => e.subject)).toEqual(["articles", "site"]);
		expect(JSON.parse(entries[0]?.detail ?? "")).toMatchObject({
			slugs: ["one-slug", "two-slug"],
			keys: report.keys.length,
			tags: report.tags.length,
			cleared: report.local.deleted,
			zone: "skipped",
		});
		expect(JSON.parse(entries[1]?.detail ?? "")).toMatchObject({ everything: true });
		// The same log the admin reads.
		const log = await adminFetch("/api/admin/audit?action=purge", admin);
		expect(((await log.json()) as { entries: unknown[] }).entries).toHaveLength(2);
	});

	it("logs a global purge that failed as failed", async () => {
		const zoneDown = vi
			.spyOn(globalThis, "fetch")
			.mockResolvedValue(
				Response.json({ success: false, errors: [{ code: 10000, message: "denied" }] }, { status: 403 }),
			);
		try {
			const bindings = { ...isolatedSite(), CF_ZONE_ID: "zone-1", CF_API_TOKEN: "token-1" };
			const res = await workerAdminFetch("/admin/purge", editor, { form: { intent: "all" } }, bindings);
			expectHtml(res, 200);
			expect(await res.text()).toContain("zone purge failed");
			expect(zoneDown).toHaveBeenCalled();
		} finally {
			zoneDown.mockRestore();
		}
		const [entry] = await auditRows("purge");
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({ everything: true, local: "ok", zone: "failed" });
	});

	it("shows bad slugs inline with the input kept, logs nothing, and guards like every admin form", async () => {
		const res = await adminFetch("/admin/purge", editor, { form: { intent: "slugs", slugs: "fine-slug, Not/A/Slug" } });
		expectHtml(res, 400);
		const html = await res.text();
		expect(html).toContain('id="purge-slugs-error"');
		expect(html).toContain("fine-slug, Not/A/Slug</textarea>");
		const empty = await adminFetch("/admin/purge", editor, { form: { intent: "slugs", slugs: "  " } });
		expectHtml(empty, 400);
		expect(await auditRows("purge")).toHaveLength(0);
		expect((await fetchApp("/admin/purge", { redirect: "manual" })).status).toBe(302);
		expectHtml(await adminFetch("/admin/purge", editor, { form: { intent: "all" }, origin: null }), 403);
	});
});

describe("a change made by someone else between the check and the write", () => {
	it("a topic that gets an article meanwhile is not deleted (409, not a 5xx), and the article keeps it", async () => {
		const id = taxa.topic.recycling as number;
		let articleId = 0;
		const DB = racingD1(/^update "topics" set "name" = null/, async () => {
			articleId = (await insertArticle({ topicId: id, status: "draft", publishedAt: null })).id;
		});
		const res = await adminFetch("/api/admin/topics/recycling", admin, { method: "DELETE" }, { ...env, DB });
		const error = await expectJsonError(res, 409);
		expect(error.message).toContain("1 article uses this topic");
		expect(articleId).toBeGreaterThan(0);
		const [article] = await testDb().select().from(schema.articles).where(eq(schema.articles.id, articleId));
		expect(article?.topicId).toBe(id);
		expect(await auditRows("topic.delete")).toHaveLength(0);
	});

	it("a page saved by someone else meanwhile is not overwritten (409 with their text)", async () => {
		await insertPage("about", "About", "Original.");
		const DB = racingD1(/^update "pages" set "title" = null/, () =>
			testDb().update(schema.pages).set({ title: "Theirs", bodyMarkdown: "Their text.", updatedAt: Date.now() }),
		);
		const res = await adminFetch(
			"/api/admin/pages/about",
			editor,
			{ method: "PUT", json: { title: "Mine", bodyMarkdown: "My text.", updatedAt: "2026-01-02T00:00:00.000Z" } },
			{ ...env, DB },
		);
		expect(res.status).toBe(409);
		expect(((await res.json()) as { current: { title: string } }).current.title).toBe("Theirs");
		expect((await testDb().select().from(schema.pages))[0]?.bodyMarkdown).toBe("Their text.");
		expect(await auditRows("page.update")).toHaveLength(0);
	});
});
