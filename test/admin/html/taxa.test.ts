import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { findAdminTaxon } from "../../../src/db/queries/taxonomies";
import { fetchApp, fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa, testDb } from "../../helpers";
import {
	adminFetch,
	createEditor,
	expectHtml,
	expectPrivate,
	flashOf,
	redirectTarget,
	sessionCookie,
	signedInAdminAndEditor,
	workerAdminFetch,
} from "../helpers";

// The admin's screens for topics and regions, driven as a browser without script would.

let taxa: TestTaxa;
let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	taxa = await freshTaxa();
	({ admin, editor } = await signedInAdminAndEditor());
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

	it("edits the one-line description from its page, and shows a refusal inline with the input kept", async () => {
		const page = await (await adminFetch("/admin/regions/china", admin)).text();
		expect(page).toContain('<input type="text" id="region-description" name="description" value="" maxlength="200"');
		const res = await adminFetch("/admin/regions/china", admin, {
			form: { slug: "china", name: "China", description: " Mines & refineries. " },
		});
		expect(redirectTarget(res).path).toBe("/admin/regions/china");
		expect((await findAdminTaxon(testDb(), "region", "china"))?.description).toBe("Mines & refineries.");
		expect(await (await adminFetch("/admin/regions/china", admin)).text()).toContain('value="Mines &amp; refineries."');

		const long = "x".repeat(201);
		const bad = await adminFetch("/admin/regions/china", admin, {
			form: { slug: "china", name: "China", description: long },
		});
		expectHtml(bad, 400);
		const html = await bad.text();
		expect(html).toContain("At most 200 characters (this is 201).");
		expect(html).toContain(`value="${long}"`);
		expect((await findAdminTaxon(testDb(), "region", "china"))?.description).toBe("Mines & refineries.");
		// A form without the field (a page from before it existed) leaves it; an empty field clears it.
		await adminFetch("/admin/regions/china", admin, { form: { slug: "china", name: "China" } });
		expect((await findAdminTaxon(testDb(), "region", "china"))?.description).toBe("Mines & refineries.");
		await adminFetch("/admin/regions/china", admin, { form: { slug: "china", name: "China", description: "" } });
		expect((await findAdminTaxon(testDb(), "region", "china"))?.description).toBe("");
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
});
