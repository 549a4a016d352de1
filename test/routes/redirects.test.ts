import { beforeAll, describe, expect, it } from "vitest";
import { encodePath, resolveOnSite, routerPath } from "../../src/lib/paths";
import { fetchWorker, freshTaxa, insertArticle, insertPage, isolatedSite } from "../helpers";

// No path, however encoded, may make the Worker throw, redirect off the site, or serve another
// page under its address. Browsers read `\` as `/` in http(s) URLs and drop tabs and newlines, so
// a Location of `/\evil.example/` (what a decoded `%5C` gives) leaves the site; every Location here
// is resolved the way a browser resolves it, from the address that was asked for.

const EVIL = "evil.example";

/** [the path as sent, its status, its Location (null: none)] with no credentials. */
const VARIANTS: [string, number, string | null][] = [
	// Backslashes, raw and encoded, in every case and position.
	["/%5Cevil.example/admin/", 301, "/%5Cevil.example/admin"],
	["/%5Cevil.example/", 301, "/%5Cevil.example"],
	["/%5c%5cevil.example/", 301, "/%5C%5Cevil.example"],
	["/%5C%5Cevil.example/", 301, "/%5C%5Cevil.example"],
	["/%5C%2Fevil.example/", 301, "/%5C%2Fevil.example"],
	["/%2F%5Cevil.example/", 301, "/%2F%5Cevil.example"],
	["//%5Cevil.example/", 301, "/%5Cevil.example"],
	["/\\evil.example/", 301, "/evil.example"],
	["/\\\\evil.example/", 301, "/evil.example"],
	["/%5C/", 301, "/%5C"],
	["/%255Cevil.example/", 301, "/%255Cevil.example"],
	["/articles/%5Cevil.example/", 301, "/articles/%5Cevil.example"],
	["/api/articles/%5Cevil.example/", 301, "/api/articles/%5Cevil.example"],
	// Encoded and doubled slashes.
	["//evil.example/", 301, "/evil.example"],
	["///evil.example/", 301, "/evil.example"],
	["/%2F%2Fevil.example/", 301, "/%2F%2Fevil.example"],
	["/%2f%2fevil.example/", 301, "/%2f%2fevil.example"],
	["/%2F/evil.example/", 301, "/%2F/evil.example"],
	["/topics//energy/", 301, "/topics//energy"],
	// Tabs, CR, LF and NUL (raw ones the URL parser drops; encoded ones the router decodes).
	["/%09/evil.example/admin/", 301, "/%09/evil.example/admin"],
	["/%0A/evil.example/", 301, "/%0A/evil.example"],
	["/%0D/evil.example/", 301, "/%0D/evil.example"],
	["/%0D%0ALocation:%20https://evil.example/", 301, "/%0D%0ALocation:%20https://evil.example"],
	["/%00/evil.example/", 301, "/%00/evil.example"],
	["/%09%0A%0D/evil.example/", 301, "/%09%0A%0D/evil.example"],
	["/%5C%09evil.example/", 301, "/%5C%09evil.example"],
	["/\t/evil.example/", 301, "/evil.example"],
	["/%0A", 404, null],
	["/articles/magnets%00", 404, null],
	// Userinfo and scheme look-alikes.
	["/@evil.example/", 301, "/@evil.example"],
	["/%40evil.example/", 301, "/%40evil.example"],
	["/%3B@evil.example/", 301, "/%3B@evil.example"],
	["/;/evil.example/", 301, "/;/evil.example"],
	["/https:/evil.example/", 301, "/https:/evil.example"],
	["/https:%2F%2Fevil.example/", 301, "/https:%2F%2Fevil.example"],
	["/http://evil.example/", 301, "/http://evil.example"],
	["/%68ttps://evil.example/", 301, "/https://evil.example"],
	["/javascript:alert(1)/", 301, "/javascript:alert(1)"],
	// Dot segments.
	["/..%2F..%2Fevil.example/", 301, "/..%2F..%2Fevil.example"],
	["/%2E%2E/evil.example/", 301, "/evil.example"],
	["/a/../../evil.example/", 301, "/evil.example"],
	["/articles/..%2F..%2Fadmin/", 301, "/articles/..%2F..%2Fadmin"],
	// Unicode look-alike slashes, an RTL override, an overlong UTF-8 slash.
	["/%E2%88%95evil.example/", 301, "/%E2%88%95evil.example"],
	["/%EF%BC%8Fevil.example/", 301, "/%EF%BC%8Fevil.example"],
	["/%E2%81%84evil.example/", 301, "/%E2%81%84evil.example"],
	["/%E2%80%AE/evil.example/", 301, "/%E2%80%AE/evil.example"],
	["/%C0%AF/evil.example/", 301, "/%C0%AF/evil.example"],
	// Overlong paths.
	[`/${"a".repeat(5000)}/`, 301, `/${"a".repeat(5000)}`],
	[`/articles/${"%5C".repeat(2000)}/`, 301, `/articles/${"%5C".repeat(2000)}`],
	[`/${"%2F".repeat(3000)}evil.example/`, 301, `/${"%2F".repeat(3000)}evil.example`],
	// Real pages: the slash goes, the page stays; an encoded letter is the same page.
	["/about/", 301, "/about"],
	["/%61bout/", 301, "/about"],
	["/%61bout", 200, null],
	["/articles/magnets/", 301, "/articles/magnets"],
	["/topics/energy/?cursor=%5Cevil&utm_source=x", 301, "/topics/energy?cursor=%5Cevil"],
	["/api/articles/?topic=energy", 301, "/api/articles?topic=energy"],
	["/%5Cadmin/", 301, "/%5Cadmin"],
	["/%2Fadmin/", 301, "/%2Fadmin"],
	["/admin%2F/", 301, "/admin%2F"],
	["/%5Capi/admin/", 301, "/%5Capi/admin"],
	// Not the admin for the router, so not for the cache either.
	["//admin/login", 404, null],
	["//api/admin/articles", 404, null],
	["/%2561dmin/login", 404, null],
];

/** Addresses the router serves as the admin (private: never cached, redirect to the sign-in page). */
const PRIVATE = [
	"/%61dmin/",
	"/%61dmin",
	"/admin/%5Cevil.example/",
	"/admin/%0A/evil.example/",
	"/api/%61dmin/articles/",
];

const CREDENTIALS: [string, Record<string, string>][] = [
	["no credentials", {}],
	["a session cookie", { cookie: "samarium_session=forged; __Host-samarium_session=forged" }],
	["an Authorization header", { authorization: "Bearer forged" }],
];

let site: ReturnType<typeof isolatedSite>;

beforeAll(async () => {
	const taxa = await freshTaxa();
	await insertArticle({ slug: "magnets", title: "Magnets", topicId: taxa.topic.energy });
	await insertPage("about", "About", "About us.");
	site = isolatedSite();
});

/** What every answer must be, whatever the path: no 5xx, no trace, and any Location stays on the site. */
async function expectSafe(res: Response, asked: string) {
	const body = await res.text();
	expect(res.status, body.slice(0, 200)).toBeLessThan(500);
	expect(body).not.toMatch(/TypeError|Invalid URL|\n\s+at /);
	expect(res.headers.get("x-cache")).toMatch(/^(HIT|MISS|BYPASS)$/);
	const location = res.headers.get("location");
	if (location !== null) {
		const siteOrigin = new URL(site.SITE_URL).origin;
		// As a browser follows it from the address asked for, and as it reads against SITE_URL.
		expect(new URL(location, asked).origin, location).toBe(new URL(asked).origin);
		expect(resolveOnSite(location, siteOrigin), location).not.toBeNull();
		expect(location).not.toMatch(/[\s\\]/);
	}
	return { body, location };
}

/** A Location as the router would read it, so that `%5c` and `%5C`, `%68` and `h` compare equal. */
function sameAddress(location: string | null): string | null {
	return location === null ? null : routerPath(`https://x.invalid${location}`);
}

const cases = VARIANTS.flatMap(([path, status, location]) =>
	CREDENTIALS.map(([who, headers]) => ({ name: `${path.slice(0, 60)} (${who})`, path, status, location, headers })),
);

describe(`${VARIANTS.length} encoded paths, each with and without credentials, through the whole Worker`, () => {
	it.each(cases)("$name", async ({ path, status, location, headers }) => {
		const asked = `${site.SITE_URL}${path}`;
		const res = await fetchWorker(asked, { headers, redirect: "manual" }, site);
		const seen = await expectSafe(res, asked);
		expect(res.status).toBe(status);
		expect(seen.location).toBe(location);
		// Public: the same answer for everyone, from the cache after the first.
		expect(res.headers.get("x-cache")).toMatch(/^(HIT|MISS)$/);
		expect(seen.body).not.toContain(EVIL.replace(".", "&#46;"));
		if (status === 200) {
			// The one page it names, never another under its address.
			expect(seen.body).toContain(`<link rel="canonical" href="${site.SITE_URL}/about"/>`);
		} else {
			expect(seen.body).not.toContain('<link rel="canonical"');
		}
		if (location !== null) {
			// Following it lands on this site, without an error.
			const next = await fetchWorker(new URL(location, asked).href, { headers, redirect: "manual" }, site);
			await expectSafe(next, new URL(location, asked).href);
		}
	});

	it.each(PRIVATE.flatMap((path) => CREDENTIALS.map(([who, headers]) => ({ path, who, headers }))))(
		"$path is the admin's ($who): private, and its sign-in redirect stays on the site",
		async ({ path, headers }) => {
			const asked = `${site.SITE_URL}${path}`;
			const res = await fetchWorker(asked, { headers, redirect: "manual" }, site);
			await expectSafe(res, asked);
			expect(res.headers.get("x-cache")).toBe("BYPASS");
			expect(res.headers.get("cache-control")).toBe("private, no-store");
		},
	);

	it("answers HEAD, and a request that skips the cache, with the same safe redirect", async () => {
		const bench = { ...site, BENCH_NO_CACHE_TOKEN: "bench-secret" };
		for (const [path, status, location] of VARIANTS) {
			const asked = `${site.SITE_URL}${path}`;
			for (const init of [{ method: "HEAD" }, { headers: { "x-bench-no-cache": "bench-secret" } }]) {
				const res = await fetchWorker(asked, { ...init, redirect: "manual" }, bench);
				await expectSafe(res, asked);
				expect(res.status, path).toBe(status);
				// Built from the path as sent (`%5c`, `%68` stay as they are) where the cache renders its
				// own key: the same address, spelled as the request spelled it.
				expect(sameAddress(res.headers.get("location")), path).toBe(sameAddress(location));
			}
		}
	});
});

describe("paths", () => {
	const SITE = "https://samarium.test";
	it.each(VARIANTS.map(([path]) => path).concat(["/a%zz/%5C", "/%E9%5C", "/%ED%A0%80", "/100%25", "/%25%41", "/é/ü"]))(
		"%s: the key written from the router's path routes to that same path",
		(path) => {
			const decoded = routerPath(new URL(`${SITE}${path}`).href);
			const encoded = encodePath(decoded);
			expect(encoded).not.toMatch(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/);
			expect(new URL(`${SITE}${encoded}`).pathname).toBe(encoded);
			expect(routerPath(`${SITE}${encoded}`)).toBe(decoded);
		},
	);

	it("resolves a Location as a browser would, against the site", () => {
		expect(resolveOnSite("/a", SITE)?.href).toBe(`${SITE}/a`);
		expect(resolveOnSite("/\\evil.example/", SITE)).toBeNull();
		expect(resolveOnSite("/\t/evil.example/", SITE)).toBeNull();
		expect(resolveOnSite("/%5Cevil.example/", SITE)?.href).toBe(`${SITE}/%5Cevil.example/`);
		expect(resolveOnSite("http://[", SITE)).toBeNull();
		expect(resolveOnSite("https:evil.example", SITE)).toBeNull();
		expect(resolveOnSite("https://samarium.test/x", SITE)?.href).toBe(`${SITE}/x`);
	});
});
