import { and, eq, isNull } from "drizzle-orm";
import type { CurrentEditor, Db } from "../../types";
import { apiTokens, editors } from "../schema";

// Bearer authentication for /api/admin: only the lookup. Creating, listing and revoking tokens
// belong to the admin's token screens.

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
