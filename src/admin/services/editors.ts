import type { Db } from "../../db/client";
import { auditInsert } from "../../db/queries/audit";
import {
	abortIfNoAdminLeft,
	countAdmins,
	deleteEditor,
	findEditorById,
	listEditors,
	updateEditor as updateEditorRow,
} from "../../db/queries/editors";
import { type EditorRole, editorRoles } from "../../db/schema";
import { AppError, notFound } from "../../lib/errors";
import { EDITOR_NAME_MAX } from "../limits";
import * as v from "../validation";
import { actorOf, constraintFailed } from "./constraints";
import type { Deps } from "./deps";

// Editors as admins manage them: role and name, and removal. Creating an editor and setting a
// password stay in the editor CLI. The site always keeps one admin.

export type EditorInput = { role?: unknown; name?: unknown };
export type EditorListItem = Awaited<ReturnType<typeof listEditors>>[number];

export function listAllEditors(db: Db): Promise<EditorListItem[]> {
	return listEditors(db);
}

export async function getEditor(db: Db, id: number): Promise<EditorListItem> {
	const editor = await findEditorById(db, id);
	if (!editor) throw notFound("There is no editor with this id.");
	return { id: editor.id, email: editor.email, name: editor.name, role: editor.role, createdAt: editor.createdAt };
}

function lastAdmin(): AppError {
	return new AppError(409, "This is the last admin: make someone else an admin first.", {
		role: "The site needs at least one admin.",
	});
}

/** Changes an editor's role and/or name (creating editors and passwords stay in the CLI). */
export async function updateEditor(deps: Deps, id: number, input: EditorInput): Promise<EditorListItem> {
	const { db } = deps;
	const current = await getEditor(db, id);
	const fields: v.Fields = {};
	let role: EditorRole = current.role;
	if (input.role !== undefined) {
		if (editorRoles.includes(input.role as EditorRole)) role = input.role as EditorRole;
		else fields.role = `Must be one of: ${editorRoles.join(", ")}.`;
	}
	const name = input.name === undefined ? current.name : v.check(fields, "name", v.line(EDITOR_NAME_MAX), input.name);
	if (name === undefined || Object.keys(fields).length > 0) throw v.invalid(fields);
	if (role === current.role && name === current.name) return current;
	const demotes = current.role === "admin" && role !== "admin";
	if (demotes && (await countAdmins(db)) <= 1) throw lastAdmin();

	const { now } = deps;
	try {
		await db.batch([
			updateEditorRow(db, id, { role, name, updatedAt: now }),
			abortIfNoAdminLeft(db),
			auditInsert(db, {
				actor: actorOf(deps),
				action: "editor.update",
				subject: `editor:${id}`,
				detail: { email: current.email, from: { role: current.role, name: current.name }, to: { role, name } },
				at: now,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw lastAdmin();
		throw err;
	}
	return { ...current, role, name };
}

/** Removes an editor: their sessions end and their API tokens go with them (foreign key cascade). */
export async function removeEditor(deps: Deps, id: number): Promise<EditorListItem> {
	const { db } = deps;
	const editor = await getEditor(db, id);
	if (id === deps.editor.id) throw new AppError(409, "You cannot remove yourself; another admin can.");
	const { now } = deps;
	try {
		await db.batch([
			deleteEditor(db, id),
			abortIfNoAdminLeft(db),
			auditInsert(db, {
				actor: actorOf(deps),
				action: "editor.delete",
				subject: `editor:${id}`,
				detail: { email: editor.email, name: editor.name, role: editor.role },
				at: now,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw lastAdmin();
		throw err;
	}
	return editor;
}
