import { Hono } from "hono";
import type { AuditEntry } from "../../db/schema";
import { toIso } from "../../lib/dates";
import type { AppEnv } from "../../types";
import { requireRole } from "../guard/roles";
import { readAudit } from "../services/audit";

/** The audit log as JSON (admins only), newest first; `nextBefore` pages on. */
export const audit = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

function auditJson(entry: AuditEntry) {
	let detail: unknown;
	try {
		detail = JSON.parse(entry.detail);
	} catch {
		detail = entry.detail;
	}
	return {
		id: entry.id,
		at: toIso(entry.at),
		editor: { id: entry.editorId, email: entry.editorEmail },
		action: entry.action,
		subject: entry.subject,
		detail,
	};
}

audit.get("/audit", adminOnly, async (c) => {
	const { entries, nextBefore } = await readAudit(c.var.db, c.req.query());
	return c.json({ entries: entries.map(auditJson), nextBefore });
});
