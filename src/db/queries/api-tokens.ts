import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import type { CurrentEditor } from "../schema";
import { apiTokens, auditLog, editors } from "../schema";
import type { AuditInput } from "./audit";

// API tokens: the bearer lookup on every /api/admin request, then the admin's list, create and revoke.

// lastUsedAt is for people deciding which tokens to revoke; minute precision is enough and
// saves a write on every request of a busy client.
const TOUCH_INTERVAL_MS = 60 * 1000;

export type ActiveToken = { id: number; name: string; editor: CurrentEditor };

/** The unrevoked token with this hash and the editor it acts as, in one statement. */
export async function findActiveToken(db: Db, tokenHash: string, now: number): Promise<ActiveToken | null> {
	const row = await db
		.select({
			tokenId: apiTokens.id,
			tokenName: apiTokens.name,
			lastUsedAt: apiTokens.lastUsedAt,
			id: editors.id,
			email: editors.email,
			name: editors.name,
			role: editors.role,
		})
		.from(apiTokens)
		.innerJoin(editors, eq(editors.id, apiTokens.editorId))
		.where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
		.get();
	if (!row) return null;
	if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_INTERVAL_MS) {
		await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
	}
	const { id, email, name, role } = row;
	return { id: row.tokenId, name: row.tokenName, editor: { id, email, name, role } };
}

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
