import { beforeEach, describe, expect, it } from "vitest";
import { freshTaxa } from "../../helpers";
import { adminFetch, expectHtml, signedInAdminAndEditor } from "../helpers";

// The admin layout's navigation (src/admin/views/Layout.tsx), as each role sees it.

let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	await freshTaxa();
	({ admin, editor } = await signedInAdminAndEditor());
});

describe("the admin navigation", () => {
	it("links editors only to screens they may use; admins also to topics, regions, tokens, editors, audit", async () => {
		const admins = ["/admin/topics", "/admin/regions", "/admin/tokens", "/admin/editors", "/admin/audit"];
		const everyone = ["/admin", "/admin/articles/new", "/admin/pages", "/admin/purge"];
		const nav = (html: string) => html.slice(html.indexOf('<nav class="admin-nav"'), html.indexOf("</nav>"));
		const asEditor = nav(await (await adminFetch("/admin/purge", editor)).text());
		const asAdmin = nav(await (await adminFetch("/admin/purge", admin)).text());
		for (const href of everyone) {
			expect(asEditor).toContain(`href="${href}"`);
			expect(asAdmin).toContain(`href="${href}"`);
		}
		for (const href of admins) {
			expect(asEditor).not.toContain(`href="${href}"`);
			expect(asAdmin).toContain(`href="${href}"`);
			// What the link would lead an editor to.
			expectHtml(await adminFetch(href, editor), 403);
		}
	});
});
