import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchApp, freshTaxa, insertPage, testDb } from "../../helpers";
import {
	adminFetch,
	createEditor,
	expectJsonError,
	expectPrivate,
	racingD1,
	sessionCookie,
	TEST_ORIGIN,
} from "../helpers";

// The About and Services pages through the admin's JSON API, end to end through the app.

let editor: { cookie: string };

beforeEach(async () => {
	await freshTaxa();
	await sessionCookie(await createEditor({ role: "admin", name: "Ada Admin" }));
	editor = { cookie: await sessionCookie(await createEditor({ role: "editor" })) };
});

async function auditRows(action?: string) {
	const rows = await testDb().select().from(schema.auditLog);
	return action ? rows.filter((r) => r.action === action) : rows;
}

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

describe("a change made by someone else between the check and the write", () => {
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
