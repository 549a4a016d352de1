// The editor CLI's commands. Each runs its checks before touching the database, so that a refusal
// is quick and changes nothing; changes go in one batch with their audit entry.
import { hashPassword } from "../../src/lib/passwords.ts";
import { sqlValue } from "../lib/sql.ts";
import { D1Error, type D1Location, queryD1 } from "../lib/wrangler.ts";
import { type EditorRole, Refusal } from "./input.ts";

// Who the audit log names for changes made here: no editor is signed in at a terminal.
const CLI_ACTOR = "cli";

function where(location: D1Location): string {
	return location.remote ? "the remote D1" : "the local D1";
}

function findEditorId(location: D1Location, email: string): number | null {
	const [rows = []] = queryD1(location, `SELECT id FROM editors WHERE email = ${sqlValue(email)}`);
	const id = rows[0]?.id;
	return typeof id === "number" ? id : null;
}

function auditInsert(action: string, at: number, subject: string, detail: string): string {
	return (
		"INSERT INTO audit_log (at, editor_id, editor_email, action, subject, detail) " +
		`VALUES (${sqlValue(at)}, NULL, ${sqlValue(CLI_ACTOR)}, ${sqlValue(action)}, ${subject}, ${detail})`
	);
}

export type AddInput = { email: string; name: string; role: EditorRole; password: string };

export async function addEditor(location: D1Location, input: AddInput): Promise<string> {
	const duplicate = () =>
		new Refusal(`An editor with the email ${input.email} already exists; use reset-password to change their password.`);
	if (findEditorId(location, input.email) !== null) throw duplicate();

	const now = Date.now();
	const email = sqlValue(input.email);
	const statements = [
		"INSERT INTO editors (email, name, role, password_hash, created_at, updated_at) VALUES " +
			`(${email}, ${sqlValue(input.name)}, ${sqlValue(input.role)}, ${sqlValue(await hashPassword(input.password))}, ${sqlValue(now)}, ${sqlValue(now)}) RETURNING id`,
		auditInsert(
			"editor.create",
			now,
			`(SELECT 'editor:' || id FROM editors WHERE email = ${email})`,
			`json_object('email', ${email}, 'name', ${sqlValue(input.name)}, 'role', ${sqlValue(input.role)})`,
		),
	];
	try {
		const [inserted = []] = queryD1(location, statements.join(";\n"));
		return `Added ${input.role} ${input.email} (id ${inserted[0]?.id}) to ${where(location)}.`;
	} catch (error) {
		// Someone else added the same address between the check and the insert.
		if (error instanceof D1Error && /UNIQUE constraint failed: editors\.email/.test(error.message)) throw duplicate();
		throw error;
	}
}

export type ResetInput = { email: string; password: string };

/**
 * A new password, every session of that editor ended and every API token acting as them revoked:
 * whoever knew the old password could have made a token, and a reset must shut them out too.
 */
export async function resetPassword(location: D1Location, input: ResetInput): Promise<string> {
	const id = findEditorId(location, input.email);
	if (id === null) {
		throw new Refusal(`No editor has the email ${input.email} in ${where(location)}; \`list\` shows who there is.`);
	}
	const now = Date.now();
	const statements = [
		`UPDATE editors SET password_hash = ${sqlValue(await hashPassword(input.password))}, updated_at = ${sqlValue(now)} WHERE id = ${sqlValue(id)}`,
		`DELETE FROM sessions WHERE editor_id = ${sqlValue(id)} RETURNING editor_id`,
		`UPDATE api_tokens SET revoked_at = ${sqlValue(now)} WHERE editor_id = ${sqlValue(id)} AND revoked_at IS NULL RETURNING id`,
		// A new password is the way back in after a lockout, so it lifts the lock on this email
		// (the key format is src/db/queries/throttle.ts's).
		`DELETE FROM login_throttle WHERE key = ${sqlValue(`email:${input.email}`)}`,
		auditInsert(
			"editor.password_reset",
			now,
			sqlValue(`editor:${id}`),
			`json_object('email', ${sqlValue(input.email)})`,
		),
	];
	const [, ended = [], revoked = []] = queryD1(location, statements.join(";\n"));
	const sessions = ended.length === 1 ? "1 session" : `${ended.length} sessions`;
	const tokens = revoked.length === 1 ? "1 API token" : `${revoked.length} API tokens`;
	return `Changed the password of ${input.email} in ${where(location)}; ${sessions} signed out, ${tokens} revoked.`;
}

/**
 * Control characters shown as \u escapes: a name stored by other means must not be able to move
 * the cursor, recolour or forge lines in the terminal of whoever lists the editors.
 */
function printable(text: string): string {
	return text.replace(/\p{Cc}/gu, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function pad(text: string, width: number): string {
	return text + " ".repeat(Math.max(0, width - [...text].length));
}

/** Everyone who can sign in, as a table (never their password hashes). */
export function listEditors(location: D1Location): string {
	const [rows = []] = queryD1(location, "SELECT id, email, name, role, created_at FROM editors ORDER BY email");
	if (rows.length === 0) return `No editors in ${where(location)} yet; add one with the add command.`;
	const table = [
		["id", "email", "name", "role", "created"],
		...rows.map((row) => [
			String(row.id),
			printable(String(row.email)),
			printable(String(row.name)),
			String(row.role),
			`${new Date(Number(row.created_at)).toISOString().slice(0, 16).replace("T", " ")} UTC`,
		]),
	];
	const widths =
		table[0]?.map((_, column) => Math.max(...table.map((cells) => [...(cells[column] ?? "")].length))) ?? [];
	return table
		.map((cells) =>
			cells
				.map((cell, column) => pad(cell, widths[column] ?? 0))
				.join("  ")
				.trimEnd(),
		)
		.join("\n");
}
