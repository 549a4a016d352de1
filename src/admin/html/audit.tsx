import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { requireRole } from "../guard/roles";
import { readAudit } from "../services/audit";
import { AuditPage } from "../views/AuditPage";
import { formRefusal, page } from "./screen";

/** The audit log (admins only), newest first, filtered by action and subject. */
export const audit = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

audit.get("/audit", adminOnly, async (c) => {
	const query = c.req.query();
	const paged = Boolean(query.before);
	try {
		const view = await readAudit(c.var.db, query);
		return page(
			c,
			"Audit log",
			"audit",
			<AuditPage entries={view.entries} nextBefore={view.nextBefore} query={view.query} paged={paged} />,
		);
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		const kept = { action: query.action, subject: query.subject };
		return page(
			c,
			"Audit log",
			"audit",
			<AuditPage entries={[]} nextBefore={null} query={kept} fields={refusal.fields} paged={paged} />,
			400,
		);
	}
});
