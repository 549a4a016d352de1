import { beforeEach, describe, expect, it } from "vitest";
import { createToken, listTokens, revokeApiToken } from "../../../src/admin/services/tokens";
import { hashToken } from "../../../src/lib/tokens";
import { resetDb } from "../../helpers";
import { createEditor } from "../helpers";
import { at, auditRows, dbState, NOW, refusedWithoutWrites, serviceDeps, type TestDeps } from "./helpers";

// API tokens through their service: issued (the text once, only its hash kept) and revoked.

let deps: TestDeps;

beforeEach(async () => {
	await resetDb();
	deps = await serviceDeps("admin");
});

describe("createToken", () => {
	it("returns the token's text once and stores only its hash", async () => {
		const owner = await createEditor({ name: "Bot owner" });
		const { token, apiToken } = await createToken(deps, { name: " CI deploy ", editorId: String(owner.id) });

		expect(token).toMatch(/^smt_[A-Za-z0-9_-]{43}$/);
		expect(apiToken).toEqual({
			id: expect.any(Number),
			name: "CI deploy",
			editorId: owner.id,
			editorName: "Bot owner",
			editorEmail: owner.email,
			createdAt: NOW,
			lastUsedAt: null,
			revokedAt: null,
		});
		expect(JSON.stringify(apiToken)).not.toContain(token);
		const state = await dbState();
		expect(JSON.stringify(state)).not.toContain(token.slice(4));
		expect(state.api_tokens).toEqual([
			expect.objectContaining({ token_hash: await hashToken(token), created_by: deps.editor.id }),
		]);
		expect(await auditRows()).toEqual([
			expect.objectContaining({
				at: NOW,
				editorId: deps.editor.id,
				action: "token.create",
				subject: `token:${apiToken.id}`,
				detail: { name: "CI deploy", editorId: owner.id },
			}),
		]);
		expect(await listTokens(deps.db)).toEqual([apiToken]);
	});

	it("issues a different token each time", async () => {
		const first = await createToken(deps, { name: "one", editorId: deps.editor.id });
		const second = await createToken(deps, { name: "one", editorId: deps.editor.id });
		expect(first.token).not.toBe(second.token);
		expect(first.apiToken.id).not.toBe(second.apiToken.id);
	});

	it.each<[string, Record<string, unknown>, Record<string, string>]>([
		["nothing", {}, { name: "Required.", editorId: "Required." }],
		[
			"a blank name and a bad id",
			{ name: " ", editorId: "1e3" },
			{ name: "Required.", editorId: "Must be a whole number." },
		],
		[
			"a name with a line break, for an editor who does not exist",
			{ name: "a\nb", editorId: 999_999 },
			{
				name: "Line breaks and other control characters are not allowed.",
				editorId: "There is no such editor.",
			},
		],
		["an editor who does not exist", { name: "x", editorId: 999_999 }, { editorId: "There is no such editor." }],
	])("refuses %s with a 400 naming each field, and writes nothing", async (_name, input, fields) => {
		const error = await refusedWithoutWrites(deps, 400, () => createToken(deps, input));
		expect(error.fields).toEqual(fields);
	});
});

describe("revokeApiToken", () => {
	it("revokes once with its audit entry; a second revoke changes and logs nothing", async () => {
		const { apiToken } = await createToken(deps, { name: "CI", editorId: deps.editor.id });
		const revoked = await revokeApiToken(at(deps, NOW + 1000), apiToken.id);
		expect(revoked).toEqual({ ...apiToken, revokedAt: NOW + 1000 });
		expect((await auditRows()).at(-1)).toMatchObject({
			at: NOW + 1000,
			action: "token.revoke",
			subject: `token:${apiToken.id}`,
			detail: { name: "CI", editorId: deps.editor.id },
		});

		const before = await dbState();
		expect(await revokeApiToken(at(deps, NOW + 2000), apiToken.id)).toEqual(revoked);
		expect(await dbState()).toEqual(before);
	});

	it("answers 404 for a token that does not exist", async () => {
		const error = await refusedWithoutWrites(deps, 404, () => revokeApiToken(deps, 999_999));
		expect(error.message).toBe("There is no API token with this id.");
	});
});
