import type { Db } from "../../db/client";
import { listAudit } from "../../db/queries/audit";
import type { AuditEntry } from "../../db/schema";
import { badRequest } from "../../lib/errors";
import { AUDIT_PAGE_SIZE } from "../limits";
import * as v from "../validation";

// The audit log as editors read it: newest first, filtered by action and subject.

export type AuditQueryInput = { before?: string; action?: string; subject?: string };
export type AuditView = { entries: AuditEntry[]; nextBefore: number | null; query: AuditQueryInput };

/**
 * One page of the audit log, newest first. `action` matches itself and what it prefixes up to a
 * dot ("topic" finds topic.create, topic.delete…); `subject` is exact ("topic:energy", "editor:3"), or
 * with a trailing ":" every subject of that kind ("topic:").
 */
export async function readAudit(db: Db, input: AuditQueryInput): Promise<AuditView> {
	const fields: v.Fields = {};
	const action = input.action?.trim() || undefined;
	const subject = input.subject?.trim() || undefined;
	let before: number | undefined;
	if (input.before) {
		before = v.parseId(input.before) ?? undefined;
		if (before === undefined) fields.before = "Not a position this log issued; use nextBefore from a previous page.";
	}
	if (action !== undefined && !/^[a-z][a-z0-9._-]{0,59}$/.test(action)) {
		fields.action = 'Lowercase letters, digits, dots and hyphens, e.g. "topic" or "article.update".';
	}
	if (subject !== undefined && subject.length > 200) fields.subject = "At most 200 characters.";
	if (Object.keys(fields).length > 0) throw badRequest("The query parameters are not valid.", fields);
	const page = await listAudit(db, { action, subject, before, limit: AUDIT_PAGE_SIZE });
	return { entries: page.items, nextBefore: page.nextBefore, query: { action, subject } };
}
