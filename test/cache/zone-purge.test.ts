import { describe, expect, it } from "vitest";
import { purgeZone, type ZonePurgeOptions } from "../../src/cache/zone-purge";

const TOKEN = "tok_s3cret-value-0123456789";
const ZONE = "zone-abc123";
const PURGE_URL = `https://api.cloudflare.com/client/v4/zones/${ZONE}/purge_cache`;

type Recorded = { url: string; method: string; headers: Headers; body: { tags?: string[]; files?: string[] } };
/** One scripted answer: a response to build, or an error for fetch to reject with. */
type Answer = { status?: number; body?: unknown; headers?: Record<string, string> } | Error;

const OK: Answer = { status: 200, body: { success: true, errors: [], messages: [], result: { id: ZONE } } };

function apiError(status: number, code: number, message: string): Answer {
	return { status, body: { success: false, errors: [{ code, message }], messages: [], result: null } };
}

/** A fetch that records each request and answers from `script` in order, then with success. */
function fakeApi(script: Answer[] = []) {
	const requests: Recorded[] = [];
	const delays: number[] = [];
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const request = new Request(input, init);
		requests.push({
			url: request.url,
			method: request.method,
			headers: request.headers,
			body: JSON.parse(await request.text()),
		});
		const answer = script.shift() ?? OK;
		if (answer instanceof Error) throw answer;
		const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {});
		return new Response(body, {
			status: answer.status ?? 200,
			headers: { "Content-Type": "application/json", ...answer.headers },
		});
	};
	const sleep = async (ms: number) => {
		delays.push(ms);
	};
	const options = (extra: Partial<ZonePurgeOptions> = {}): ZonePurgeOptions => ({
		zoneId: ZONE,
		apiToken: TOKEN,
		fetch,
		sleep,
		...extra,
	});
	return { requests, delays, options };
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe("purgeZone requests", () => {
	it("sends tags and URLs in separate authorised POSTs to the zone's purge endpoint", async () => {
		const api = fakeApi();
		const report = await purgeZone(api.options(), {
			tags: ["article:1", "home"],
			urls: ["https://samarium.dev/a/one"],
		});

		expect(report).toEqual({ ok: true, requests: 2, purged: { tags: 2, urls: 1 }, errors: [] });
		expect(api.requests.map((r) => [r.method, r.url])).toEqual([
			["POST", PURGE_URL],
			["POST", PURGE_URL],
		]);
		for (const request of api.requests) {
			expect(request.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
			expect(request.headers.get("content-type")).toBe("application/json");
		}
		expect(api.requests.map((r) => r.body)).toEqual([
			{ tags: ["article:1", "home"] },
			{ files: ["https://samarium.dev/a/one"] },
		]);
		expect(api.delays).toEqual([]);
	});

	it("uses a configured endpoint, with or without a trailing slash", async () => {
		const api = fakeApi();
		await purgeZone(api.options({ endpoint: "http://fake.test/v4/" }), { tags: ["t"], urls: [] });
		expect(api.requests[0]?.url).toBe(`http://fake.test/v4/zones/${ZONE}/purge_cache`);
	});

	it("batches at 100 operations per request, keeping order", async () => {
		const api = fakeApi();
		const tags = names("tag-", 250);
		const urls = names("https://samarium.dev/p/", 101);
		const report = await purgeZone(api.options(), { tags, urls });

		expect(report).toEqual({ ok: true, requests: 5, purged: { tags: 250, urls: 101 }, errors: [] });
		expect(api.requests.map((r) => [r.body.tags?.length, r.body.files?.length])).toEqual([
			[100, undefined],
			[100, undefined],
			[50, undefined],
			[undefined, 100],
			[undefined, 1],
		]);
		expect(api.requests.flatMap((r) => r.body.tags ?? [])).toEqual(tags);
		expect(api.requests.flatMap((r) => r.body.files ?? [])).toEqual(urls);
	});

	it("drops duplicates before batching", async () => {
		const api = fakeApi();
		const report = await purgeZone(api.options(), {
			tags: ["a", "b", "a", "b", "c"],
			urls: ["https://samarium.dev/x", "https://samarium.dev/x"],
		});

		expect(api.requests.map((r) => r.body)).toEqual([{ tags: ["a", "b", "c"] }, { files: ["https://samarium.dev/x"] }]);
		expect(report.purged).toEqual({ tags: 3, urls: 1 });
	});

	it("makes no request when there is nothing to purge", async () => {
		const api = fakeApi();
		expect(await purgeZone(api.options(), { tags: [], urls: [] })).toEqual({
			ok: true,
			requests: 0,
			purged: { tags: 0, urls: 0 },
			errors: [],
		});
		expect(await purgeZone(api.options(), { tags: [""], urls: [""] })).toMatchObject({ ok: true, requests: 0 });
		expect(api.requests).toEqual([]);
	});

	it("reports missing configuration instead of sending a request", async () => {
		const api = fakeApi();
		const report = await purgeZone(api.options({ apiToken: "" }), { tags: ["t"], urls: [] });
		expect(report.ok).toBe(false);
		expect(report.requests).toBe(0);
		expect(report.errors).toEqual([expect.stringContaining("not configured")]);
		expect(api.requests).toEqual([]);
	});

	it("calls fetch as a plain function, which workerd's own fetch requires", async () => {
		const api = fakeApi();
		const receivers: unknown[] = [];
		const fetch = function (this: unknown, ...args: Parameters<typeof globalThis.fetch>) {
			receivers.push(this);
			return api.options().fetch?.(...args) as Promise<Response>;
		};
		const report = await purgeZone(api.options({ fetch }), { tags: ["t"], urls: [] });
		expect(report.ok).toBe(true);
		expect(receivers).toEqual([undefined]);
	});
});

describe("purgeZone retries", () => {
	it("retries a 429 after a backoff delay", async () => {
		const api = fakeApi([apiError(429, 971, "Please wait and consider throttling your request speed")]);
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report).toEqual({ ok: true, requests: 2, purged: { tags: 1, urls: 0 }, errors: [] });
		expect(api.delays).toEqual([500]);
	});

	it.each([
		["5", 5_000],
		["120", 30_000],
		["0", 500],
		["Wed, 21 Oct 2015 07:28:00 GMT", 500],
	])("honours Retry-After: %s when it asks for longer than the backoff (capped at 30 s)", async (header, delay) => {
		const api = fakeApi([{ status: 429, body: { success: false, errors: [] }, headers: { "Retry-After": header } }]);
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report.ok).toBe(true);
		expect(api.delays).toEqual([delay]);
	});

	it("recovers from three 503s, backing off exponentially", async () => {
		const api = fakeApi([{ status: 503 }, { status: 503 }, { status: 503 }]);
		const report = await purgeZone(api.options(), { tags: [], urls: ["https://samarium.dev/"] });

		expect(report).toEqual({ ok: true, requests: 4, purged: { tags: 0, urls: 1 }, errors: [] });
		expect(api.delays).toEqual([500, 1_000, 2_000]);
	});

	it("gives up after maxAttempts of 5xx, naming the status", async () => {
		const api = fakeApi(Array.from({ length: 4 }, () => apiError(502, 10_000, "Bad gateway upstream")));
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report.ok).toBe(false);
		expect(report.requests).toBe(4);
		expect(report.purged).toEqual({ tags: 0, urls: 0 });
		expect(report.errors).toHaveLength(1);
		expect(report.errors[0]).toContain("502");
		expect(report.errors[0]).toContain("Bad gateway upstream");
		expect(report.errors[0]).toContain("4 attempts");
		// No sleep after the last attempt: nothing follows it.
		expect(api.delays).toEqual([500, 1_000, 2_000]);
	});

	it("respects a custom maxAttempts and caps the backoff at 8 s", async () => {
		const api = fakeApi(Array.from({ length: 7 }, () => ({ status: 500 })));
		const report = await purgeZone(api.options({ maxAttempts: 7 }), { tags: ["t"], urls: [] });

		expect(report.requests).toBe(7);
		expect(report.errors).toEqual([expect.stringContaining("HTTP 500")]);
		expect(api.delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
	});

	it("does not retry a 403", async () => {
		const api = fakeApi([apiError(403, 10_000, "Authentication error")]);
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report.ok).toBe(false);
		expect(report.requests).toBe(1);
		expect(report.errors).toEqual(["tags batch 1/1: HTTP 403: 10000 Authentication error"]);
		expect(api.delays).toEqual([]);
	});

	it("treats success:false in a 200 as a failure, without retrying", async () => {
		const api = fakeApi([apiError(200, 1_134, "Purge by tag is not enabled for this zone")]);
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report.ok).toBe(false);
		expect(report.requests).toBe(1);
		expect(report.purged.tags).toBe(0);
		expect(report.errors).toEqual(["tags batch 1/1: HTTP 200: 1134 Purge by tag is not enabled for this zone"]);
	});

	it("treats a 2xx it cannot read as a failure", async () => {
		const api = fakeApi([{ status: 200, body: "<html>maintenance</html>" }]);
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report.ok).toBe(false);
		expect(report.errors).toEqual(["tags batch 1/1: HTTP 200: unreadable response"]);
	});

	it("retries when fetch rejects", async () => {
		const api = fakeApi([new TypeError("Network connection lost.")]);
		const report = await purgeZone(api.options(), { tags: ["t"], urls: [] });

		expect(report).toEqual({ ok: true, requests: 2, purged: { tags: 1, urls: 0 }, errors: [] });
		expect(api.delays).toEqual([500]);
	});

	it("reports a network error that outlasts every attempt", async () => {
		const api = fakeApi(Array.from({ length: 2 }, () => new TypeError("Network connection lost.")));
		const report = await purgeZone(api.options({ maxAttempts: 2 }), { tags: [], urls: ["https://samarium.dev/"] });

		expect(report.ok).toBe(false);
		expect(report.requests).toBe(2);
		expect(report.errors).toEqual(["urls batch 1/1: network error: Network connection lost. (after 2 attempts)"]);
	});
});

describe("purgeZone failures", () => {
	it("keeps going after a failed batch, and counts only what was purged", async () => {
		const api = fakeApi([apiError(400, 1_015, "Invalid tag")]);
		const report = await purgeZone(api.options(), { tags: names("tag-", 150), urls: ["https://samarium.dev/"] });

		expect(api.requests).toHaveLength(3);
		expect(report.ok).toBe(false);
		expect(report.requests).toBe(3);
		expect(report.purged).toEqual({ tags: 50, urls: 1 });
		expect(report.errors).toEqual(["tags batch 1/2: HTTP 400: 1015 Invalid tag"]);
	});

	it("never puts the token in its errors, even when a message echoes it", async () => {
		const api = fakeApi([
			apiError(403, 9_109, `Invalid access token ${TOKEN}`),
			new Error(`connect failed for Bearer ${TOKEN}`),
			new Error(`connect failed for Bearer ${TOKEN}`),
		]);
		const report = await purgeZone(api.options({ maxAttempts: 2 }), {
			tags: ["t"],
			urls: ["https://samarium.dev/"],
		});

		expect(report.ok).toBe(false);
		expect(report.errors).toHaveLength(2);
		expect(JSON.stringify(report)).not.toContain(TOKEN);
		expect(report.errors[0]).toContain("[redacted]");
	});

	it("never throws, even when its helpers do", async () => {
		const throwingFetch = (() => {
			throw new Error("boom");
		}) as typeof fetch;
		const failingSleep = () => Promise.reject(new Error("timer gone"));

		const api = fakeApi([{ status: 503 }]);
		await expect(
			purgeZone(api.options({ fetch: throwingFetch, maxAttempts: 1 }), { tags: ["t"], urls: [] }),
		).resolves.toMatchObject({ ok: false, requests: 1 });
		const report = await purgeZone(api.options({ sleep: failingSleep }), { tags: ["t"], urls: [] });
		expect(report.ok).toBe(false);
		expect(report.errors).toEqual([expect.stringContaining("timer gone")]);
		const malformed = { tags: null, urls: undefined } as unknown as { tags: string[]; urls: string[] };
		await expect(purgeZone(api.options(), malformed)).resolves.toMatchObject({ ok: true, requests: 0 });
	});
});
