import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { mediaIdOf } from "../../src/lib/images";
import { parseRange } from "../../src/routes/media";
import { countingD1, fetchWorker, isolatedSite } from "../helpers";
import { png } from "../image-fixtures";
import { clearBucket } from "../media-helpers";

// Serving the library's files: straight from R2, immutable, with etags, ranges and HEAD.

let bytes: Uint8Array;
let id: string;
let path: string;

beforeEach(async () => {
	await clearBucket();
	bytes = new Uint8Array(1000);
	bytes.set(png(40, 30));
	for (let i = 100; i < bytes.length; i++) bytes[i] = i % 251;
	id = await mediaIdOf(bytes);
	path = `/media/${id}.png`;
	await env.MEDIA.put(`${id}.png`, bytes, { httpMetadata: { contentType: "image/png" } });
});

const IMMUTABLE = "public, max-age=31536000, immutable";

describe("GET /media/<id>.<ext>", () => {
	it("serves the file: 200, its type, length, etag, immutable, nosniff; no D1 read", async () => {
		const { db, counts } = countingD1(env.DB);
		const res = await fetchWorker(path, undefined, isolatedSite({ DB: db }));
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("image/png");
		expect(res.headers.get("content-length")).toBe("1000");
		expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
		expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);
		expect(res.headers.get("accept-ranges")).toBe("bytes");
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
		expect(res.headers.get("cache-tag")).toBe(`media:${id}`);
		expect(res.headers.get("x-cache")).toBe("BYPASS");
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
		expect(counts.roundTrips).toBe(0);
	});

	it("answers HEAD with the headers and no body", async () => {
		const res = await fetchWorker(path, { method: "HEAD" });
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("image/png");
		expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
		expect(await res.text()).toBe("");
	});

	it("answers a matching If-None-Match with 304 (also a list, a weak tag and *)", async () => {
		const etag = (await fetchWorker(path, { method: "HEAD" })).headers.get("etag") as string;
		for (const inm of [etag, `"nope", ${etag}`, `W/${etag}`, "*"]) {
			const res = await fetchWorker(path, { headers: { "if-none-match": inm } });
			expect(res.status, inm).toBe(304);
			expect(res.headers.get("etag")).toBe(etag);
			expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
			expect(await res.text()).toBe("");
		}
		expect((await fetchWorker(path, { headers: { "if-none-match": '"other"' } })).status).toBe(200);
	});

	it("serves a range: 206 with Content-Range, for a-b, a- and -n", async () => {
		const cases: [string, number, number][] = [
			["bytes=0-99", 0, 99],
			["bytes=990-", 990, 999],
			["bytes=-10", 990, 999],
			["bytes=500-5000", 500, 999],
		];
		for (const [range, first, last] of cases) {
			const res = await fetchWorker(path, { headers: { range } });
			expect(res.status, range).toBe(206);
			expect(res.headers.get("content-range")).toBe(`bytes ${first}-${last}/1000`);
			expect(res.headers.get("content-length")).toBe(String(last - first + 1));
			expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.subarray(first, last + 1));
		}
		const head = await fetchWorker(path, { method: "HEAD", headers: { range: "bytes=0-9" } });
		expect(head.status).toBe(206);
		expect(head.headers.get("content-range")).toBe("bytes 0-9/1000");
	});

	it("answers 416 for a range past the end; ignores ranges it does not take, and a stale If-Range", async () => {
		const res = await fetchWorker(path, { headers: { range: "bytes=1000-" } });
		expect(res.status).toBe(416);
		expect(res.headers.get("content-range")).toBe("bytes */1000");
		for (const range of ["bytes=0-1,5-6", "items=0-1", "bytes=9-2", "nonsense"]) {
			expect((await fetchWorker(path, { headers: { range } })).status, range).toBe(200);
		}
		const stale = await fetchWorker(path, { headers: { range: "bytes=0-9", "if-range": '"old"' } });
		expect(stale.status).toBe(200);
	});

	it("a range or HEAD does not change what the next full GET gets", async () => {
		const site = isolatedSite();
		await fetchWorker(path, { headers: { range: "bytes=0-9" } }, site);
		await fetchWorker(path, { method: "HEAD" }, site);
		const full = await fetchWorker(path, undefined, site);
		expect(full.status).toBe(200);
		expect((await full.arrayBuffer()).byteLength).toBe(1000);
	});

	it("answers 404 (never 500) for unknown pictures and malformed or hostile names", async () => {
		const names = [
			`${"0".repeat(32)}.png`,
			`${id}.jpg`,
			`${id}.PNG`,
			`${id.toUpperCase()}.png`,
			`${id}.gif`,
			`${id}`,
			`${id}.png.exe`,
			"..%2F..%2Fwrangler.toml",
			"%2e%2e%2fsecret.png",
			`${id}.png%00.jpg`,
			"x".repeat(500),
		];
		for (const name of names) {
			const res = await fetchWorker(`/media/${name}`);
			expect(res.status, name).toBe(404);
			expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
		}
		expect((await fetchWorker(`/media/${id}.png/extra`)).status).toBe(404);
		expect((await fetchWorker(`/media/${id}.png`, { method: "POST" })).status).toBe(405);
	});
});

describe("parseRange", () => {
	it.each([
		["bytes=0-0", 10, { offset: 0, length: 1 }],
		["bytes=9-", 10, { offset: 9, length: 1 }],
		["bytes=-20", 10, { offset: 0, length: 10 }],
		["bytes=10-", 10, "unsatisfiable"],
		["bytes=-0", 10, "unsatisfiable"],
		["bytes=-", 10, null],
		["bytes=3-1", 10, null],
		["bytes=0-1,2-3", 10, null],
		["bytes=99999999999999999999-", 10, null],
	] as const)("%s of %d", (header, size, expected) => {
		expect(parseRange(header, size)).toEqual(expected);
	});
});
