import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { readForm } from "../params";
import { getEditor, listAllEditors, removeEditor, updateEditor } from "../services/editors";
import { idParam } from "../validation";
import { EditorEdit, type EditorFormValues, EditorsList } from "../views/EditorsPage";
import type { FormState } from "../views/Field";
import { redirectWithFlash } from "./flash";
import { formRefusal, formState, page } from "./screen";

/** Editors (admins only): change a role or name, remove. */
export const editors = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

editors.get("/editors", adminOnly, async (c) => {
	const editors = await listAllEditors(c.var.db);
	return page(c, "Editors", "editors", <EditorsList editors={editors} me={c.var.editor.id} />);
});

async function editorPage(
	c: Context<AppEnv>,
	id: number,
	form: FormState<EditorFormValues> | null,
	removeError?: string,
	status?: ContentfulStatusCode,
) {
	const editor = await getEditor(c.var.db, id);
	const state = form ?? { values: { name: editor.name, role: editor.role } };
	return page(
		c,
		editor.name,
		"editors",
		<EditorEdit editor={editor} me={c.var.editor.id} form={state} removeError={removeError} />,
		status,
	);
}

editors.get("/editors/:id", adminOnly, (c) => editorPage(c, idParam(c.req.param("id"), "editor"), null));

editors.post("/editors/:id", adminOnly, async (c) => {
	const id = idParam(c.req.param("id"), "editor");
	const form = await readForm(c);
	const values = { name: form.name ?? "", role: form.role ?? "" };
	try {
		const editor = await updateEditor(depsOf(c), id, values);
		return redirectWithFlash(c, `/admin/editors/${id}`, { kind: "ok", text: `Saved ${editor.name} (${editor.role}).` });
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return editorPage(c, id, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
	}
});

editors.post("/editors/:id/delete", adminOnly, async (c) => {
	const id = idParam(c.req.param("id"), "editor");
	try {
		const editor = await removeEditor(depsOf(c), id);
		return redirectWithFlash(c, "/admin/editors", {
			kind: "ok",
			text: `Removed ${editor.name} (${editor.email}); their sessions and API tokens no longer work.`,
		});
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return editorPage(c, id, null, refusal.message, refusal.status as ContentfulStatusCode);
	}
});
