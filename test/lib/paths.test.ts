import { describe, expect, it } from "vitest";
import { absoluteOn, adminPathOn } from "../../src/lib/paths";

const SITE = "https://samarium.test";

describe("absoluteOn", () => {
	it.each([
		["/admin", "https://samarium.test/admin"],
		["/admin/a%2Fb%5Cc?x=%3C", "https://samarium.test/admin/a%2Fb%5Cc?x=%3C"],
		["//evil.example/admin", "https://samarium.test//evil.example/admin"],
		["/admin/\\evil", "https://samarium.test/admin//evil"],
		["/@evil.example", "https://samarium.test/@evil.example"],
	])("puts %j on the site's origin", (path, url) => {
		const location = absoluteOn(SITE, path);
		expect(location).toBe(url);
		expect(new URL(location ?? "", "https://elsewhere.example").origin).toBe(SITE);
	});

	it.each(["", "admin", "\\evil.example", "@evil.example", ".evil.example/x", ":8080/admin"])(
		"refuses %j, which does not start the path",
		(path) => {
			expect(absoluteOn(SITE, path)).toBeNull();
		},
	);
});

describe("adminPathOn", () => {
	it("keeps an admin path and its query as the URL parser writes them", () => {
		expect(adminPathOn(SITE, "/admin")).toBe("/admin");
		expect(adminPathOn(SITE, "/admin/articles?status=draft&q=<a>")).toBe("/admin/articles?status=draft&q=%3Ca%3E");
		expect(adminPathOn(SITE, "/admin/x/../topics")).toBe("/admin/topics");
	});

	it.each([
		"/admin/../evil",
		"/admin%2F",
		"/admin/%5C",
		"/admin/..%2Fevil",
		"//evil.example/admin",
		"/admin\t/x",
		"/admin?q=a b",
		"admin",
	])("refuses %j", (value) => {
		expect(adminPathOn(SITE, value)).toBeNull();
	});
});
