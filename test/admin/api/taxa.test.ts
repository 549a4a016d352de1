import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { findAdminTaxon } from "../../../src/db/queries/taxonomies";
import * as schema from "../../../src/db/schema";
import { fetchApp, fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa, testDb } from "../../helpers";
import {
	adminFetch,
	expectJsonError,
	expectPrivate,
	racingD1,
	signedInAdminAndEditor,
	TEST_ORIGIN,
	workerAdminFetch,
} from "../helpers";

// Topics and regions through the admin's JSON API, end to end through the app (and, for what
// readers see next, the whole Worker).

let taxa: TestTaxa;
let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	taxa = await freshTaxa();
	({ admin, editor } = await signedInAdminAndEditor());
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
		expect(JSON.parse(entry?.detail ?? "")).toEqual({ name: "Magnets", description: "" });
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

	it("sets, trims and clears a one-line description, purging the taxon's page and the index", async () => {
		const set = await adminFetch(`${base}/${first}`, admin, {
			method: "PATCH",
			json: { description: "  One line, trimmed.  " },
		});
		expect(set.status).toBe(200);
		const body = (await set.json()) as Record<string, unknown> & { purge: { keys: string[]; tags: string[] } };
		expect(body).toMatchObject({ slug: first, description: "One line, trimmed." });
		expect(body.purge.tags).toEqual(expect.arrayContaining([`list:${kind}:${first}`, `index:${kind}s`, "taxa"]));
		expect(body.purge.keys.some((k) => k.endsWith(`/${kind}s`))).toBe(true);
		expect(await (await fetchApp(`/${kind}s/${first}`)).text()).toContain("One line, trimmed.");
		expect(await (await fetchApp(`/${kind}s`)).text()).toContain("One line, trimmed.");
		const [entry] = await auditRows(`${kind}.update`);
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({
			from: { description: "" },
			to: { description: "One line, trimmed." },
		});
		// The same again changes nothing; "" clears it.
		const same = await adminFetch(`${base}/${first}`, admin, {
			method: "PATCH",
			json: { description: "One line, trimmed." },
		});
		expect(((await same.json()) as { purge: unknown }).purge).toBeNull();
		const cleared = await adminFetch(`${base}/${first}`, admin, { method: "PATCH", json: { description: "   " } });
		expect(await cleared.json()).toMatchObject({ description: "" });
		expect((await findAdminTaxon(testDb(), kind, first))?.description).toBe("");
	});

	it.each([
		["201 characters", "d".repeat(201)],
		["a line break", "Two\nlines"],
		["a carriage return", "Two\rlines"],
		["a Unicode line separator", "Two\u2028lines"],
		["a NUL", "nul\u0000"],
		["a number", 42],
		["null", null],
		["a list", ["a"]],
	])("refuses a description with %s (400, nothing written)", async (_label, description) => {
		await expectJsonError(
			await adminFetch(`${base}/${first}`, admin, { method: "PATCH", json: { description } }),
			400,
			["description"],
		);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "fresh", name: "Fresh", description } }), 400, [
			"description",
		]);
		expect((await findAdminTaxon(testDb(), kind, first))?.description).toBe("");
		expect(await findAdminTaxon(testDb(), kind, "fresh")).toBeNull();
		expect(await auditRows()).toHaveLength(0);
	});

	it("takes 200 characters, and trailing line breaks trim away", async () => {
		const res = await adminFetch(base, admin, {
			json: { slug: "long", name: "Long", description: `${"d".repeat(200)}\n` },
		});
		expect(res.status).toBe(201);
		expect(((await res.json()) as { description: string }).description).toBe("d".repeat(200));
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

describe("readers see a change on their very next request", () => {
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
});
