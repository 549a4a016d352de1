import { and, desc, eq, gte, lt, or } from "drizzle-orm";
import type { Db } from "../client";
import { auditLog } from "../schema";

export type AuditActor = { id: number | null; email: string };

export type AuditInput = {
	actor: AuditActor;
	/** e.g. "article.update"; the part before the dot names the kind of subject. */
	action: string;
	/** e.g. "article:12". */
	subject: string;
	detail?: Record<string, unknown>;
	at: number;
};

/**
 * The audit row for a change, as a statement to put in the same `db.batch` as the change itself:
 * the log then holds exactly the changes that happened, never one that was rolled back.
 */
export function auditInsert(db: Db, entry: AuditInput) {
	return db.insert(auditLog).values({
		at: entry.at,
		editorId: entry.actor.id,
		editorEmail: entry.actor.email,
		action: entry.action,
		subject: entry.subject,
		detail: JSON.stringify(entry.detail ?? {}),
	});
}

export async function recordAudit(db: Db, entry: AuditInput): Promise<void> {
	await auditInsert(db, entry);
}

export type AuditQuery = {
	/** An exact subject ("topic:energy"), or a kind of subject when it ends in ":" ("topic:"). */
	subject?: string;
	/** An exact action ("topic.update"), or every action of a kind ("topic"). */
	action?: string;
	before?: number;
	limit: number;
};

/**
 * A subject filter as an index range: "topic:" is every subject from "topic:" up to (not
 * including) "topic;" — the next character — which SQLite walks on the subject index, where
 * LIKE (case-insensitive by default) could not use it.
 */
function subjectFilter(subject: string) {
	if (!subject.endsWith(":")) return eq(auditLog.subject, subject);
	return and(gte(auditLog.subject, subject), lt(auditLog.subject, `${subject.slice(0, -1)};`));
}

/**
 * Every action of a kind ("topic" → "topic.create", "topic.delete"…) as a range, like the subject
 * filter: a LIKE pattern would read "_" in the filter (which may have one) as any character.
 */
function actionKindFilter(kind: string) {
	return and(gte(auditLog.action, `${kind}.`), lt(auditLog.action, `${kind}/`));
}

/** Newest first; `before` is the id to continue below (keyset pagination over the primary key). */
export async function listAudit(db: Db, query: AuditQuery) {
	const rows = await db
		.select()
		.from(auditLog)
		.where(
			and(
				query.subject ? subjectFilter(query.subject) : undefined,
				query.action ? or(eq(auditLog.action, query.action), actionKindFilter(query.action)) : undefined,
				query.before ? lt(auditLog.id, query.before) : undefined,
			),
		)
		.orderBy(desc(auditLog.id))
		.limit(query.limit + 1);
	const items = rows.slice(0, query.limit);
	const last = items.at(-1);
	return { items, nextBefore: rows.length > query.limit && last ? last.id : null };
}
