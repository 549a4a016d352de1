import { Hono } from "hono";
import { tag } from "../cache/tags";
import { mediaKey, parseMediaName, TYPE_OF_EXT } from "../lib/images";
import type { AppEnv } from "../types";

// The picture library's files, straight from R2 by key: no D1 read. A file never changes under
// its name (the name is its content hash), so every answer may be kept for a year. Conditional
// (If-None-Match) and single-range requests are answered here; Workers Cache in front of the
// Worker stores the 200s and answers ranges from them itself (docs/media.md, docs/cache.md#pictures).

export const media = new Hono<AppEnv>();

export const MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable";

const NOT_FOUND_HEADERS = { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=60" };

function notFound(): Response {
	return new Response("There is no picture at this address.\n", { status: 404, headers: NOT_FOUND_HEADERS });
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` as an offset and length within `size`; "unsatisfiable"; or null to ignore it. */
export function parseRange(header: string, size: number): { offset: number; length: number } | "unsatisfiable" | null {
	const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
	// Several ranges, other units or nonsense: the whole file, as RFC 9110 allows.
	if (!m || (m[1] === "" && m[2] === "")) return null;
	if (m[1] === "") {
		const suffix = Number(m[2]);
		if (suffix === 0 || size === 0) return "unsatisfiable";
		const length = Math.min(suffix, size);
		return { offset: size - length, length };
	}
	const first = Number(m[1]);
	const last = m[2] === "" ? size - 1 : Number(m[2]);
	if (m[2] !== "" && last < first) return null;
	if (first >= size) return "unsatisfiable";
	return { offset: first, length: Math.min(last, size - 1) - first + 1 };
}

/** Whether an If-None-Match list names this strong etag (weak comparison, as for GET; `*` matches any). */
function matches(ifNoneMatch: string, etag: string): boolean {
	const bare = (t: string) => t.trim().replace(/^W\//, "");
	return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

media.get("/media/:name", async (c) => {
	const name = parseMediaName(c.req.param("name"));
	if (!name) return notFound();
	const key = mediaKey(name.id, name.ext);
	const head = await c.env.MEDIA.head(key);
	if (!head) return notFound();

	const headers = new Headers({
		"content-type": TYPE_OF_EXT[name.ext],
		"cache-control": MEDIA_CACHE_CONTROL,
		etag: head.httpEtag,
		"last-modified": head.uploaded.toUTCString(),
		"accept-ranges": "bytes",
		"cache-tag": tag.media(name.id),
		"x-content-type-options": "nosniff",
	});

	const ifNoneMatch = c.req.header("if-none-match");
	if (ifNoneMatch !== undefined && matches(ifNoneMatch, head.httpEtag)) {
		headers.delete("content-type");
		return new Response(null, { status: 304, headers });
	}

	const size = head.size;
	const rangeHeader = c.req.header("range");
	const ifRange = c.req.header("if-range");
	// A range of another version of the file (If-Range names another etag) is no use: the whole file.
	const range =
		rangeHeader !== undefined && (ifRange === undefined || ifRange === head.httpEtag)
			? parseRange(rangeHeader, size)
			: null;
	if (range === "unsatisfiable") {
		headers.set("content-range", `bytes */${size}`);
		headers.delete("content-type");
		return new Response(null, { status: 416, headers });
	}

	const status = range ? 206 : 200;
	if (range) headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`);
	headers.set("content-length", String(range ? range.length : size));
	if (c.req.method === "HEAD") return new Response(null, { status, headers });

	const object = await c.env.MEDIA.get(key, range ? { range } : {});
	// Deleted between the two calls.
	if (!object) return notFound();
	return new Response(object.body, { status, headers });
});
