import { createMiddleware } from "hono/factory";
import type { EditorRole } from "../../db/schema";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../../types";

// Roles are ordered: whatever an editor may do, an admin may do too.
const RANK: Record<EditorRole, number> = { editor: 1, admin: 2 };

/** Refuses (403) an editor whose role is below `role`; use after the guard. */
export function requireRole(role: EditorRole) {
	return createMiddleware<AppEnv>(async (c, next) => {
		if (RANK[c.var.editor.role] < RANK[role]) {
			throw new AppError(403, role === "admin" ? "Only an admin can do this." : "Your role does not allow this.");
		}
		await next();
	});
}
