import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../types";
import { apiTokens, auditLog, editors } from "../schema";
import type { AuditInput } from "./audit";

// API tokens as admins manage them. The bearer lookup itself lives in api-tokens.ts.

/** A token as the admin lists it: never its hash, with the editor it acts as. */
export type AdminToken = {
	id: number;
	name: string;
	editorId: number;
	editorName: string;
	editorEmail: string;
	createdAt: number;
	lastUsedAt: number | null;
	revokedAt: number | null;
};

// Aliased column names: inside db.batch, D1 keys rows by column name, and both tables have "name".
const columns = {
	id: apiTokens.id,
	name: apiTokens.name,
	editorId: apiTokens.editorId,
	editorName: sql<string>`${editors.name}`.as("editor_name"),
	editorEmail: sql<string>`${editors.email}`.as("editor_email"),
	createdAt: apiTokens.createdAt,
	lastUsedAt: apiTokens.lastUsedAt,
	revokedAt: apiTokens.revokedAt,
};

function selectTokens(db: Db) {
	return db.select(columns).from(apiTokens).innerJoin(editors, eq(editors.id, apiTokens.editorId));
}

/** Newest first; a handful per site, so no pagination. */
export function listAdminTokens(db: Db): Promise<AdminToken[]> {
	return selectTokens(db).orderBy(desc(apiTokens.id));
}

export async function findAdminToken(db: Db, id: number): Promise<AdminToken | null> {
	return (await selectTokens(db).where(eq(apiTokens.id, id)).get()) ?? null;
}

export function insertToken(
	db: Db,
	values: { name: string; tokenHash: string; editorId: number; createdBy: number; createdAt: number },
) {
	return db.insert(apiTokens).values(values).returning({ id: apiTokens.id });
}

export function revokeToken(db: Db, id: number, at: number) {
	return db
		.update(apiTokens)
		.set({ revokedAt: at })
		.where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

/**
 * The audit entry for a token inserted earlier in the same batch. Its subject names the new id,
 * which only the database knows at that point, so it is read from the row (found by its hash).
 * (An INSERT … SELECT builder: Drizzle's D1 batch cannot carry `db.run` with parameters.)
 */
export function auditTokenCreated(db: Db, entry: Omit<AuditInput, "subject">, tokenHash: string) {
	// Every column of audit_log, in table order, as INSERT … SELECT requires.
	const row = db
		.select({
			id: sql<number>`null`.as("id"),
			at: sql<number>`${entry.at}`.as("at"),
			editorId: sql<number | null>`${entry.actor.id}`.as("editor_id"),
			editorEmail: sql<string>`${entry.actor.email}`.as("editor_email"),
			action: sql<string>`${entry.action}`.as("action"),
			subject: sql<string>`'token:' || ${apiTokens.id}`.as("subject"),
			detail: sql<string>`${JSON.stringify(entry.detail ?? {})}`.as("detail"),
		})
		.from(apiTokens)
		.where(eq(apiTokens.tokenHash, tokenHash));
	return db.insert(auditLog).select(row);
}
