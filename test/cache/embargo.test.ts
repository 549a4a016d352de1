import { beforeEach, describe, expect, it } from "vitest";
import { type AdminAuthHeaders, bearerToken, createEditor, workerAdminFetch } from "../admin/helpers";
import { fetchWorker, freshTaxa, isolatedSite } from "../helpers";

// Whoever guesses the slug of an embargoed draft can poll its public address. Whatever editors do
// to the draft, that address must answer exactly as before (the same cached 404: HIT, same etag,
// an age that only grows) until the article goes live; a purge of it would be visible as a MISS
// or an age back at 0.

let auth: AdminAuthHeaders;

beforeEach(async () => {
	await freshTaxa();
	auth = { authorization: await bearerToken(await createEditor({ role: "admin" })) };
});

type Seen = { status: number; cache: string | null; etag: string | null; age: number };

async function poll(site: Env, path: string): Promise<Seen> {
	const res = await fetchWorker(path, undefined, site);
	await res.arrayBuffer();
	return {
		status: res.status,
		cache: res.headers.get("x-cache"),
		etag: res.headers.get("etag"),
		age: Number(res.headers.get("age")),
	};
}

async function admin(site: Env, method: string, path: string, json?: unknown) {
	const res = await workerAdminFetch(`/api/admin${path}`, auth, { method, json }, site);
	const body = (await res.json()) as { id: number; version: number; purge?: { keys: string[]; tags: string[] } };
	expect(res.status, JSON.stringify(body)).toBeLessThan(300);
	return body;
}

const SLUG = "merger-talks-embargoed";
const PUBLIC = [`/articles/${SLUG}`, `/api/articles/${SLUG}`];
const DRAFT = {
	title: "Merger talks",
	summary: "Embargoed.",
	bodyMarkdown: "Not yet.",
	region: "china",
	topic: "energy",
};

describe("an embargoed draft's slug", () => {
	it("shows no change at its public address while editors create, edit, schedule and trash it", async () => {
		const site = isolatedSite();
		const before = new Map<string, Seen>();
		for (const path of PUBLIC) {
			expect((await poll(site, path)).cache).toBe("MISS");
			const warm = await poll(site, path);
			expect(warm).toMatchObject({ status: 404, cache: "HIT" });
			before.set(path, warm);
		}
		const expectUnchanged = async (step: string) => {
			for (const path of PUBLIC) {
				const now = await poll(site, path);
				const then = before.get(path);
				expect(now.status, `${step}: ${path}`).toBe(404);
				expect(now.cache, `${step}: ${path}`).toBe("HIT");
				expect(now.etag, `${step}: ${path}`).toBe(then?.etag);
				expect(now.age, `${step}: ${path}`).toBeGreaterThanOrEqual(then?.age ?? 0);
			}
		};

		const made = await admin(site, "POST", "/articles", { ...DRAFT, slug: SLUG, status: "draft" });
		expect(made.purge).toMatchObject({ keys: [], tags: [] });
		await expectUnchanged("created");
		let version = made.version;
		for (const title of ["Merger talks advance", "Merger talks stall", "Merger talks resume"]) {
			version = (await admin(site, "PATCH", `/articles/${made.id}`, { title, version })).version;
			await expectUnchanged(`edited to "${title}"`);
		}
		const later = new Date(Date.now() + 86_400_000).toISOString();
		version = (await admin(site, "PATCH", `/articles/${made.id}`, { status: "published", publishedAt: later, version }))
			.version;
		await expectUnchanged("scheduled for tomorrow");
		version = (await admin(site, "PATCH", `/articles/${made.id}`, { topic: "recycling", version })).version;
		await expectUnchanged("moved while scheduled");
		await admin(site, "DELETE", `/articles/${made.id}`, { version });
		await expectUnchanged("trashed");
	});

	it("answers the article on the next request once it is published", async () => {
		const site = isolatedSite();
		for (const path of PUBLIC) await poll(site, path);
		const made = await admin(site, "POST", "/articles", { ...DRAFT, slug: SLUG, status: "draft" });
		await admin(site, "PATCH", `/articles/${made.id}`, { status: "published", version: made.version });
		for (const path of PUBLIC) expect(await poll(site, path), path).toMatchObject({ status: 200, cache: "MISS" });
	});

	it("is purged when a draft that was live gives its old slug up", async () => {
		const site = isolatedSite();
		const made = await admin(site, "POST", "/articles", { ...DRAFT, slug: SLUG, status: "published" });
		const unpublished = await admin(site, "PATCH", `/articles/${made.id}`, { status: "draft", version: made.version });
		for (const path of PUBLIC) {
			await poll(site, path);
			expect(await poll(site, path), path).toMatchObject({ status: 404, cache: "HIT" });
		}
		// Renamed while a draft: the old slug becomes a retired one (a 301 once it is live again).
		const renamed = await admin(site, "PATCH", `/articles/${made.id}`, {
			slug: `${SLUG}-2`,
			version: unpublished.version,
		});
		expect(renamed.purge?.keys.length).toBeGreaterThan(0);
		for (const path of PUBLIC) expect((await poll(site, path)).cache, path).toBe("MISS");
	});
});
