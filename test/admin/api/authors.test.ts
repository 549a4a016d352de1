import { beforeEach, describe, expect, it } from "vitest";
import { findAdminAuthor } from "../../../src/db/queries/authors";
import * as schema from "../../../src/db/schema";
import { freshTaxa, testDb } from "../../helpers";
import {
	adminFetch,
	bearerToken,
	createEditor,
	expectJsonError,
	expectPrivate,
	signedInAdminAndEditor,
} from "../helpers";

// Authors through the admin's JSON API: the same rules as topics (admins only), plus a link to
// an editor account.

let admin: { cookie: string };
let editor: { cookie: string };
let editorRow: schema.Editor;

beforeEach(async () => {
	await freshTaxa();
	({ admin, editor, editorRow } = await signedInAdminAndEditor());
});

const base = "/api/admin/authors";

type AuthorBody = {
	slug: string;
	name: string;
	bio: string;
	url: string | null;
	description: string;
	editor: string | null;
	page: string;
	articleCount: number;
	purge: { keys: string[]; tags: string[] } | null;
};

async function auditRows(action: string) {
	return (await testDb().select().from(schema.auditLog)).filter((r) => r.action === action);
}

describe("authors as JSON", () => {
	it("creates one (201) with every field, logs it, and lists it", async () => {
		const res = await adminFetch(base, admin, {
			json: {
				slug: "ada-lovelace",
				name: "  Ada Lovelace ",
				bio: "Writes on engines.\r\nAnd numbers.",
				url: "https://ada.example/about",
				description: "Analytical correspondent",
				editor: editorRow.email,
			},
		});
		expect(res.status).toBe(201);
		expectPrivate(res);
		const body = (await res.json()) as AuthorBody;
		expect(body).toMatchObject({
			slug: "ada-lovelace",
			name: "Ada Lovelace",
			bio: "Writes on engines.\nAnd numbers.",
			url: "https://ada.example/about",
			description: "Analytical correspondent",
			editor: editorRow.email,
			articleCount: 0,
		});
		expect(body.page).toMatch(/\/authors\/ada-lovelace$/);
		expect(body.purge?.tags).toContain("list:author:ada-lovelace");
		const [entry] = await auditRows("author.create");
		expect(entry).toMatchObject({ subject: "author:ada-lovelace" });

		const list = (await (await adminFetch(base, admin)).json()) as { authors: AuthorBody[] };
		expect(list.authors.map((a) => a.slug)).toEqual(["ada-lovelace"]);
		expect((await adminFetch(`${base}/ada-lovelace`, admin)).status).toBe(200);
	});

	it("changes name, bio, url and description; nothing to change writes nothing", async () => {
		await adminFetch(base, admin, { json: { slug: "ada", name: "Ada" } });
		const res = await adminFetch(`${base}/ada`, admin, {
			method: "PATCH",
			json: { name: "Ada L.", bio: "Bio", url: "http://ada.example", description: "Line" },
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as AuthorBody;
		expect(body).toMatchObject({ name: "Ada L.", bio: "Bio", url: "http://ada.example/", description: "Line" });
		expect(body.purge?.tags).toEqual(expect.arrayContaining(["author:ada", "list:author:ada", "search"]));
		expect(await auditRows("author.update")).toHaveLength(1);

		const same = (await (
			await adminFetch(`${base}/ada`, admin, { method: "PATCH", json: { name: "Ada L." } })
		).json()) as AuthorBody;
		expect(same.purge).toBeNull();
		expect(await auditRows("author.update")).toHaveLength(1);
		// url: null (or "") removes the link.
		const cleared = (await (
			await adminFetch(`${base}/ada`, admin, { method: "PATCH", json: { url: null } })
		).json()) as AuthorBody;
		expect(cleared.url).toBeNull();
	});

	it("links and unlinks an editor account, one author per editor", async () => {
		await adminFetch(base, admin, { json: { slug: "ada", name: "Ada", editor: editorRow.email } });
		await expectJsonError(
			await adminFetch(base, admin, { json: { slug: "bea", name: "Bea", editor: editorRow.email } }),
			409,
			["editor"],
		);
		await expectJsonError(
			await adminFetch(base, admin, { json: { slug: "bea", name: "Bea", editor: "nobody@example.com" } }),
			400,
			["editor"],
		);
		const unlinked = await adminFetch(`${base}/ada`, admin, { method: "PATCH", json: { editor: null } });
		expect(((await unlinked.json()) as AuthorBody).editor).toBeNull();
		expect((await findAdminAuthor(testDb(), "ada"))?.editor).toBeNull();
	});

	it("finds the editor to link however the email is capitalised or padded, as sign-in does", async () => {
		const res = await adminFetch(base, admin, {
			json: { slug: "ada", name: "Ada", editor: `  ${editorRow.email.toUpperCase()} ` },
		});
		expect(res.status).toBe(201);
		expect(((await res.json()) as AuthorBody).editor).toBe(editorRow.email);
	});

	it("refuses bad input with a message per field", async () => {
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "Not A Slug", name: "" } }), 400, [
			"slug",
			"name",
		]);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "n".repeat(81) } }), 400, ["name"]);
		for (const url of ["javascript:alert(1)", "ftp://x.example", "not a url", "https://user:pw@x.example", 12]) {
			await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "X", url } }), 400, ["url"]);
		}
		await expectJsonError(
			await adminFetch(base, admin, { json: { slug: "x", name: "X", bio: "b".repeat(1001) } }),
			400,
			["bio"],
		);
		await expectJsonError(
			await adminFetch(base, admin, { json: { slug: "x", name: "X", description: "two\nlines" } }),
			400,
			["description"],
		);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "X", bio: "bell\u0007" } }), 400, [
			"bio",
		]);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "X", extra: 1 } }), 400);
		expect(await findAdminAuthor(testDb(), "x")).toBeNull();
	});

	it("answers 409 for a taken slug, 404 for an unknown one, 400 for a slug change", async () => {
		await adminFetch(base, admin, { json: { slug: "ada", name: "Ada" } });
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "ada", name: "Again" } }), 409, ["slug"]);
		await expectJsonError(await adminFetch(`${base}/nobody`, admin), 404);
		await expectJsonError(await adminFetch(`${base}/nobody`, admin, { method: "PATCH", json: { name: "N" } }), 404);
		await expectJsonError(await adminFetch(`${base}/Bad%20Slug`, admin), 404);
		await expectJsonError(await adminFetch(`${base}/ada`, admin, { method: "PATCH", json: { slug: "bea" } }), 400, [
			"slug",
		]);
	});

	it("is for admins only; needs a session or token, and Origin with a cookie", async () => {
		await expectJsonError(await adminFetch(base, editor), 403);
		await expectJsonError(await adminFetch(base, editor, { json: { slug: "x", name: "X" } }), 403);
		const anon = await adminFetch(base, { cookie: "" });
		expect(anon.status).toBe(401);
		await expectJsonError(await adminFetch(base, admin, { json: { slug: "x", name: "X" }, origin: null }), 403);
		await expectJsonError(
			await adminFetch(base, admin, { json: { slug: "x", name: "X" }, origin: "https://evil.example" }),
			403,
		);
		expect(await findAdminAuthor(testDb(), "x")).toBeNull();
		const adminToken = await bearerToken(await createEditor({ role: "admin" }));
		const viaToken = await adminFetch(base, { authorization: adminToken }, { json: { slug: "x", name: "X" } });
		expect(viaToken.status).toBe(201);
	});

	it("keeps hostile names and bios as text", async () => {
		const name = "Zoë \u202eevil\u202c <b>Bold</b> 名前 😀";
		const res = await adminFetch(base, admin, {
			json: { slug: "odd", name, bio: "<script>alert(1)</script>\nsecond line" },
		});
		expect(res.status).toBe(201);
		expect(await findAdminAuthor(testDb(), "odd")).toMatchObject({ name });
	});
});
