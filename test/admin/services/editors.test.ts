import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getEditor, listAllEditors, removeEditor, updateEditor } from "../../../src/admin/services/editors";
import { resetDb } from "../../helpers";
import { bearerToken, createEditor, sessionCookie } from "../helpers";
import { auditRows, dbState, NOW, refusedWithoutWrites, rowCounts, serviceDeps, type TestDeps } from "./helpers";

// Editors as admins manage them through the service: role and name, removal, and the rule that
// the site always keeps one admin.

let deps: TestDeps;

beforeEach(async () => {
	await resetDb();
	deps = await serviceDeps("admin");
});

const LAST_ADMIN = "This is the last admin: make someone else an admin first.";

describe("updateEditor", () => {
	it("refuses to demote the last admin with a 409, and writes nothing", async () => {
		const error = await refusedWithoutWrites(deps, 409, () => updateEditor(deps, deps.editor.id, { role: "editor" }));
		expect(error.message).toBe(LAST_ADMIN);
		expect(error.fields).toEqual({ role: "The site needs at least one admin." });
	});

	it("demotes an admin while another is left, with its audit entry", async () => {
		const other = await createEditor({ role: "admin", name: "Other" });
		const updated = await updateEditor(deps, other.id, { role: "editor", name: " Other Person " });
		expect(updated).toEqual({
			id: other.id,
			email: other.email,
			name: "Other Person",
			role: "editor",
			createdAt: other.createdAt,
		});
		expect(await getEditor(deps.db, other.id)).toEqual(updated);
		expect(await auditRows()).toEqual([
			expect.objectContaining({
				at: NOW,
				editorId: deps.editor.id,
				action: "editor.update",
				subject: `editor:${other.id}`,
				detail: {
					email: other.email,
					from: { role: "admin", name: "Other" },
					to: { role: "editor", name: "Other Person" },
				},
			}),
		]);
	});

	it("changes nothing, and logs nothing, when nothing differs", async () => {
		const before = await dbState();
		const same = await updateEditor(deps, deps.editor.id, { role: "admin", name: ` ${deps.editor.name} ` });
		expect(same).toMatchObject({ id: deps.editor.id, role: "admin", name: deps.editor.name });
		expect(await dbState()).toEqual(before);
	});

	it.each<[string, Record<string, unknown>, Record<string, string>]>([
		["an unknown role", { role: "owner" }, { role: "Must be one of: admin, editor." }],
		["a role of null", { role: null }, { role: "Must be one of: admin, editor." }],
		["a blank name", { name: "  " }, { name: "Required." }],
		[
			"a name with a line break",
			{ role: "x", name: "A\nB" },
			{
				role: "Must be one of: admin, editor.",
				name: "Line breaks and other control characters are not allowed.",
			},
		],
	])("refuses %s with a 400", async (_name, input, fields) => {
		const error = await refusedWithoutWrites(deps, 400, () => updateEditor(deps, deps.editor.id, input));
		expect(error.fields).toEqual(fields);
	});

	it("answers 404 for an editor who does not exist", async () => {
		const error = await refusedWithoutWrites(deps, 404, () => updateEditor(deps, 999_999, { name: "X" }));
		expect(error.message).toBe("There is no editor with this id.");
	});
});

describe("removeEditor", () => {
	it("removes an editor, whose sessions and API tokens go too, with its audit entry", async () => {
		const leaving = await createEditor({ name: "Leaving" });
		await sessionCookie(leaving);
		await bearerToken(leaving);
		const removed = await removeEditor(deps, leaving.id);

		expect(removed).toMatchObject({ id: leaving.id, email: leaving.email, role: "editor" });
		expect((await listAllEditors(deps.db)).map((e) => e.id)).toEqual([deps.editor.id]);
		expect((await rowCounts()).api_tokens).toBe(0);
		const sessions = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE editor_id = ?")
			.bind(leaving.id)
			.first<{ n: number }>();
		expect(sessions?.n).toBe(0);
		expect((await auditRows()).at(-1)).toMatchObject({
			action: "editor.delete",
			subject: `editor:${leaving.id}`,
			detail: { email: leaving.email, name: "Leaving", role: "editor" },
		});
	});

	it("refuses to remove yourself", async () => {
		const error = await refusedWithoutWrites(deps, 409, () => removeEditor(deps, deps.editor.id));
		expect(error.message).toBe("You cannot remove yourself; another admin can.");
	});

	it("refuses to remove the last admin, whoever asks, and writes nothing", async () => {
		const asEditor = await serviceDeps("editor");
		const error = await refusedWithoutWrites(asEditor, 409, () => removeEditor(asEditor, deps.editor.id));
		expect(error.message).toBe(LAST_ADMIN);
	});
});
