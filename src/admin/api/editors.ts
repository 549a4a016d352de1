import { Hono } from "hono";
import { toIso } from "../../lib/dates";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { listAllEditors, removeEditor, updateEditor } from "../services/editors";
import { idParam } from "../validation";
import { body } from "./body";

/** Editors as JSON (admins only): list, change role or name, remove. */
export const editors = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

const editorJson = (e: { id: number; email: string; name: string; role: string; createdAt: number }) => ({
	id: e.id,
	email: e.email,
	name: e.name,
	role: e.role,
	createdAt: toIso(e.createdAt),
});

editors.get("/editors", adminOnly, async (c) => {
	return c.json({ editors: (await listAllEditors(c.var.db)).map(editorJson) });
});

editors.patch("/editors/:id", adminOnly, async (c) => {
	const id = idParam(c.req.param("id"), "editor");
	return c.json(editorJson(await updateEditor(depsOf(c), id, await body(c, ["name", "role"]))));
});

editors.delete("/editors/:id", adminOnly, async (c) => {
	const editor = await removeEditor(depsOf(c), idParam(c.req.param("id"), "editor"));
	return c.json({ ...editorJson(editor), deleted: true });
});
