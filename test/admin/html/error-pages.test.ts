import { beforeEach, describe, expect, it } from "vitest";
import { fetchApp, resetDb } from "../../helpers";
import { adminFetch, createEditor, expectHtml, sessionCookie, TEST_ORIGIN } from "../helpers";

// Errors inside the admin keep the editor in the admin: its layout, its menu, a way back.

beforeEach(resetDb);

async function signedIn(role: "admin" | "editor" = "editor") {
	return { cookie: await sessionCookie(await createEditor({ role })) };
}

function expectAdminError(html: string, status: number) {
	expect(html).toContain(`Error ${status}`);
	expect(html).toContain('<meta name="robots" content="noindex"');
	expect(html).not.toContain("Go to the latest news");
}

describe("admin error pages", () => {
	it.each([
		["an unknown article", "/admin/articles/999999", 404],
		["an unknown screen", "/admin/no-such-screen", 404],
		["a bad list filter", "/admin?status=bogus", 400],
	])("show %s in the admin layout, with its menu and a way back", async (_name, path, status) => {
		const res = await adminFetch(path, await signedIn());
		expectHtml(res, status);
		const html = await res.text();
		expectAdminError(html, status);
		expect(html).toContain('<nav class="admin-nav" aria-label="Admin">');
		expect(html).toContain('<a href="/admin">Back to the articles</a>');
		expect(html).not.toContain("Invalid input");
	});

	it("show an editor's refusal on an admin-only screen in the admin layout", async () => {
		const res = await adminFetch("/admin/tokens", await signedIn("editor"));
		expectHtml(res, 403);
		const html = await res.text();
		expectAdminError(html, 403);
		expect(html).toContain("Only an admin can do this.");
	});

	it("point someone who is not signed in to the sign-in page", async () => {
		const res = await fetchApp("/admin/login", {
			method: "POST",
			headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
			body: "email=a%40b.c&password=x",
		});
		expectHtml(res, 403);
		const html = await res.text();
		expectAdminError(html, 403);
		expect(html).toContain('<a href="/admin/login">Go to sign-in</a>');
		expect(html).not.toContain('<nav class="admin-nav"');
	});

	it("are JSON under /api/admin, as before", async () => {
		const res = await fetchApp("/api/admin/articles/999999", {
			headers: { cookie: (await signedIn()).cookie, origin: TEST_ORIGIN },
		});
		expect(res.status).toBe(404);
		expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	});
});
