import { eq, lte, or } from "drizzle-orm";
import { hashToken, newToken } from "../../lib/tokens";
import type { Db } from "../client";
import type { CurrentEditor } from "../schema";
import { editors, sessions } from "../schema";

/** A session nobody has used for this long ends. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** However active it is, a session ends this long after sign-in (also the cookie's Max-Age). */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
// Renewing lastSeenAt on every request would make every admin page a write; this often is
// plenty for a 12-hour idle limit.
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export type NewSession = typeof sessions.$inferInsert;

/** A fresh random token (for the cookie) and the row that knows it only by its hash. */
export async function newSession(editorId: number, now: number): Promise<{ token: string; row: NewSession }> {
	const token = newToken();
	const row = {
		tokenHash: await hashToken(token),
		editorId,
		createdAt: now,
		lastSeenAt: now,
		expiresAt: now + SESSION_ABSOLUTE_MS,
	};
	return { token, row };
}

/** The insert for `newSession`'s row, to batch with the rest of a sign-in. */
export function sessionInsert(db: Db, row: NewSession) {
	return db.insert(sessions).values(row);
}

/** Every session past its absolute or idle end: sign-ins sweep them so the table stays small. */
export function expiredSessionsDelete(db: Db, now: number) {
	return db.delete(sessions).where(or(lte(sessions.expiresAt, now), lte(sessions.lastSeenAt, now - SESSION_IDLE_MS)));
}

export function sessionDelete(db: Db, tokenHash: string) {
	return db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export type LiveSession = { tokenHash: string; editor: CurrentEditor; expiresAt: number };

/**
 * The live session with this token hash and its editor, in one statement over the primary key.
 * An expired one is deleted on sight and reads as none.
 */
export async function findSession(db: Db, tokenHash: string, now: number): Promise<LiveSession | null> {
	const row = await db
		.select({
			lastSeenAt: sessions.lastSeenAt,
			expiresAt: sessions.expiresAt,
			id: editors.id,
			email: editors.email,
			name: editors.name,
			role: editors.role,
		})
		.from(sessions)
		.innerJoin(editors, eq(editors.id, sessions.editorId))
		.where(eq(sessions.tokenHash, tokenHash))
		.get();
	if (!row) return null;
	if (row.expiresAt <= now || row.lastSeenAt <= now - SESSION_IDLE_MS) {
		await sessionDelete(db, tokenHash);
		return null;
	}
	if (now - row.lastSeenAt >= TOUCH_INTERVAL_MS) {
		await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
	}
	const { id, email, name, role } = row;
	return { tokenHash, editor: { id, email, name, role }, expiresAt: row.expiresAt };
}
