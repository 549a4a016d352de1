import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { handleNotFound } from "../../src/errors";
import { sameSiteRedirects } from "../../src/middleware/same-site-redirects";
import type { AppEnv } from "../../src/types";

// The redirect guard on its own, on a probe app that redirects wherever it is asked to: a
// Location that a browser would resolve off the site becomes a 404 page. (Every encoded path
// through the whole Worker is in routes/redirects.test.ts.)

describe("the redirect guard", () => {
	const app = new Hono<AppEnv>();
	app.use(sameSiteRedirects({ notFound: handleNotFound }));
	app.get("/go", (c) => c.redirect(c.req.query("to") ?? "/", 301));
	const go = (to: string) =>
		app.fetch(new Request(`https://localhost/go?to=${encodeURIComponent(to)}`), {
			...env,
			SITE_URL: "https://samarium.test",
		});

	it.each([
		"/\\evil.example/",
		"//evil.example/",
		"/\t/evil.example/",
		"\\\\evil.example",
		"https://evil.example/",
		"https:evil.example",
		"http://samarium.test/",
		"https://samarium.test.evil.example/",
		"https://samarium.test@evil.example/",
		"javascript:alert(1)",
		"data:text/html,x",
	])("turns a redirect to %j into a 404 page", async (to) => {
		const res = await go(to);
		expect(res.status).toBe(404);
		expect(res.headers.get("location")).toBeNull();
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
	});

	it.each(["/", "/articles/x", "/%5Cevil.example", "https://samarium.test/admin", "articles/x", "?cursor=a"])(
		"lets a redirect to %j through",
		async (to) => {
			const res = await go(to);
			expect(res.status).toBe(301);
			expect(res.headers.get("location")).toBe(to);
		},
	);
});
