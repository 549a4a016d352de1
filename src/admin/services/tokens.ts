import type { Db } from "../../db/client";
import {
	type AdminToken,
	auditTokenCreated,
	findAdminToken,
	insertToken,
	listAdminTokens,
	revokeToken,
} from "../../db/queries/api-tokens";
import { auditInsert } from "../../db/queries/audit";
import { findEditorById } from "../../db/queries/editors";
import { notFound } from "../../lib/errors";
import { hashToken, newToken } from "../../lib/tokens";
import { TOKEN_NAME_MAX } from "../limits";
import * as v from "../validation";
import { actorOf, constraintFailed } from "./constraints";
import type { Deps } from "./deps";

// API tokens for the JSON admin API: issued for an editor (shown once, stored as a hash) and revoked.

export type TokenInput = { name?: unknown; editorId?: unknown };

export function listTokens(db: Db): Promise<AdminToken[]> {
	return listAdminTokens(db);
}

/** Issues a token acting as the chosen editor; `token` is the only time its text exists outside the client. */
export async function createToken(deps: Deps, input: TokenInput): Promise<{ token: string; apiToken: AdminToken }> {
	const { db } = deps;
	const fields: v.Fields = {};
	const name = v.check(fields, "name", v.line(TOKEN_NAME_MAX), input.name);
	const editorId = v.check(fields, "editorId", v.id(), input.editorId);
	if (editorId !== undefined && !(await findEditorById(db, editorId))) fields.editorId = "There is no such editor.";
	if (name === undefined || editorId === undefined || Object.keys(fields).length > 0) throw v.invalid(fields);

	const token = newToken("smt_");
	const tokenHash = await hashToken(token);
	const { now } = deps;
	let row: { id: number } | undefined;
	try {
		const [inserted] = await db.batch([
			insertToken(db, { name, tokenHash, editorId, createdBy: deps.editor.id, createdAt: now }),
			auditTokenCreated(
				db,
				{ actor: actorOf(deps), action: "token.create", detail: { name, editorId }, at: now },
				tokenHash,
			),
		]);
		row = inserted[0];
	} catch (err) {
		// The editor was removed since the check above.
		if (constraintFailed(err, "FOREIGN KEY")) throw v.invalid({ editorId: "There is no such editor." });
		throw err;
	}
	if (!row) throw new Error("token insert returned no row");
	const apiToken = await findAdminToken(db, row.id);
	if (!apiToken) throw new Error("token vanished after insert");
	return { token, apiToken };
}

/** Revokes a token; revoking one already revoked changes nothing and logs nothing. */
export async function revokeApiToken(deps: Deps, id: number): Promise<AdminToken> {
	const { db } = deps;
	const current = await findAdminToken(db, id);
	if (!current) throw notFound("There is no API token with this id.");
	if (current.revokedAt !== null) return current;
	const { now } = deps;
	await db.batch([
		revokeToken(db, id, now),
		auditInsert(db, {
			actor: actorOf(deps),
			action: "token.revoke",
			subject: `token:${id}`,
			detail: { name: current.name, editorId: current.editorId },
			at: now,
		}),
	]);
	return { ...current, revokedAt: now };
}
