import { beforeEach, describe, expect, it } from "vitest";
import { createEditor, sessionCookie } from "../admin/helpers";
import { failingD1, fetchWorker, freshTaxa, insertArticle, insertPage, isolatedSite } from "../helpers";

// The site icons, through the whole Worker (edge cache included): real images at their own
// addresses, linked from every page, kept at the edge for a day.

beforeEach(async () => {
	await freshTaxa();
});

const READER_ICON = { fill: "#8f3512" };
const ADMIN_ICON = { fill: "#1b1b1a" };
const ICON_CACHE_CONTROL = "public, max-age=0, s-maxage=86400, stale-while-revalidate=604800";

async function expectIcon(res: Response, icon: { fill: string }) {
	expect(res.status).toBe(200);
	expect(res.headers.get("content-type")).toBe("image/svg+xml");
	const svg = await res.text();
	expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">')).toBe(true);
	expect(svg).toContain(`<rect width="32" height="32" rx="6" fill="${icon.fill}"/>`);
	expect(svg).toMatch(/<text [^>]*fill="#fff">S<\/text>/);
	expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
	return svg;
}

describe("GET /favicon.svg, /favicon.ico, /favicon-admin.svg", () => {
	it.each([
		["/favicon.svg", READER_ICON],
		["/favicon.ico", READER_ICON],
		["/favicon-admin.svg", ADMIN_ICON],
	])("%s is the SVG icon, cached at the edge for a day", async (path, icon) => {
		const site = isolatedSite();
		const first = await fetchWorker(path, undefined, site);
		await expectIcon(first, icon);
		expect(first.headers.get("x-cache")).toBe("MISS");
		expect(first.headers.get("cache-control")).toBe(ICON_CACHE_CONTROL);
		expect(first.headers.get("content-security-policy")).toContain("default-src 'none'");
		expect(first.headers.get("x-content-type-options")).toBe("nosniff");
		const etag = first.headers.get("etag");
		expect(etag).toMatch(/^".+"$/);

		const again = await fetchWorker(path, undefined, site);
		await expectIcon(again, icon);
		expect(again.headers.get("x-cache")).toBe("HIT");
		expect(again.headers.get("cache-control")).toBe(ICON_CACHE_CONTROL);

		const revalidated = await fetchWorker(path, { headers: { "if-none-match": etag ?? "" } }, site);
		expect(revalidated.status).toBe(304);
		expect(await revalidated.text()).toBe("");
	});

	it("answers /favicon.ico with the very bytes of /favicon.svg, and the admin's icon differs", async () => {
		const svg = await (await fetchWorker("/favicon.svg")).text();
		expect(await (await fetchWorker("/favicon.ico")).text()).toBe(svg);
		expect(await (await fetchWorker("/favicon-admin.svg")).text()).not.toBe(svg);
	});

	it.each(["/favicon.svg", "/favicon.ico", "/favicon-admin.svg"])(
		"HEAD %s: the headers without a body, rendered and from the cache",
		async (path) => {
			const site = isolatedSite();
			for (const state of ["MISS", "HIT"]) {
				const res = await fetchWorker(path, { method: "HEAD" }, site);
				expect(res.status).toBe(200);
				expect(res.headers.get("content-type")).toBe("image/svg+xml");
				expect(res.headers.get("x-cache")).toBe(state);
				expect(res.headers.get("cache-control")).toBe(ICON_CACHE_CONTROL);
				expect(await res.text()).toBe("");
			}
		},
	);

	it("touches no database: the icon answers while D1 is down", async () => {
		const res = await fetchWorker("/favicon.ico", undefined, isolatedSite({ DB: failingD1("D1 is down") }));
		await expectIcon(res, READER_ICON);
	});

	it("shares one cached copy whatever the query, cookies or Host", async () => {
		const site = isolatedSite();
		expect((await fetchWorker("/favicon.svg?v=2", undefined, site)).headers.get("x-cache")).toBe("MISS");
		const res = await fetchWorker(
			"http://other.example/favicon.svg?utm_source=x",
			{ headers: { cookie: "a=b" } },
			site,
		);
		expect(res.headers.get("x-cache")).toBe("HIT");
		await expectIcon(res, READER_ICON);
	});

	it("refuses a POST with 405, and a slashed address redirects to the icon", async () => {
		const post = await fetchWorker("/favicon.svg", { method: "POST" }, isolatedSite());
		expect(post.status).toBe(405);
		const slashed = await fetchWorker("/favicon.svg/", { redirect: "manual" }, isolatedSite());
		expect(slashed.status).toBe(301);
		expect(slashed.headers.get("location")).toBe("/favicon.svg");
	});
});

/** The page's icon links; each must be the one expected, and what it points to must be that icon. */
async function expectIconLink(path: string, init: RequestInit, href: string, icon: { fill: string }) {
	const res = await fetchWorker(path, { ...init, redirect: "manual" });
	expect(res.headers.get("content-type"), path).toBe("text/html; charset=UTF-8");
	const html = await res.text();
	const links = html.match(/<link rel="icon"[^>]*>/g) ?? [];
	expect(links, path).toEqual([`<link rel="icon" href="${href}" type="image/svg+xml"/>`]);
	expect(html, path).not.toContain("data:image");
	await expectIcon(await fetchWorker(href), icon);
}

describe("every page links the icon", () => {
	it("the reader's pages, errors included, link /favicon.svg", async () => {
		const article = await insertArticle({ slug: "linked-icon" });
		await insertPage("about", "About", "About us.");
		const paths = [
			"/",
			"/about",
			"/topics/energy",
			"/regions/china",
			`/articles/${article.slug}`,
			"/articles/no-such-article",
			"/?cursor=not-a-cursor",
		];
		for (const path of paths) await expectIconLink(path, {}, "/favicon.svg", READER_ICON);
	});

	it("the admin's pages, signed in or out and errors included, link /favicon-admin.svg", async () => {
		const cookie = await sessionCookie(await createEditor({ role: "editor" }));
		await expectIconLink("/admin/login", {}, "/favicon-admin.svg", ADMIN_ICON);
		for (const path of ["/admin", "/admin/articles/new", "/admin/articles/999999", "/admin/tokens"]) {
			await expectIconLink(path, { headers: { cookie } }, "/favicon-admin.svg", ADMIN_ICON);
		}
	});
});
