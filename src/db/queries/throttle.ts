import { and, eq, gt, inArray, isNull, lte, max, or, sql } from "drizzle-orm";
import type { Db } from "../../types";
import { loginThrottle } from "../schema";

// Failed sign-ins, counted per email (guessing one editor's password) and per client address
// (trying many emails from one place), in D1 so that every isolate sees the same counts.

/** `limit` failures within `windowMs` of the first one lock the key for `lockMs`. */
export type ThrottleRule = { limit: number; windowMs: number; lockMs: number };

const MINUTE = 60 * 1000;

export const EMAIL_RULE: ThrottleRule = { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
// Higher than the email limit: several editors can share an office's address.
export const ADDRESS_RULE: ThrottleRule = { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

export type ThrottleKey = { key: string; rule: ThrottleRule };

/** The counters a sign-in attempt touches: its (normalized) email's and its client address's. */
export function throttleKeys(email: string, address: string): { email: ThrottleKey; address: ThrottleKey } {
	return {
		email: { key: `email:${email}`, rule: EMAIL_RULE },
		address: { key: `ip:${address}`, rule: ADDRESS_RULE },
	};
}

/** When the latest lock on any of `keys` ends, or null when none is locked now. */
export async function lockedUntil(db: Db, keys: ThrottleKey[], now: number): Promise<number | null> {
	const row = await db
		.select({ until: max(loginThrottle.lockedUntil) })
		.from(loginThrottle)
		.where(
			and(
				inArray(
					loginThrottle.key,
					keys.map((k) => k.key),
				),
				gt(loginThrottle.lockedUntil, now),
			),
		)
		.get();
	return row?.until ?? null;
}

/**
 * Counts one failure against `key`, as one atomic upsert: a window that has run out starts over,
 * and the failure that reaches the limit sets the lock. Returns the lock's end (or null).
 */
export function failureUpsert(db: Db, { key, rule }: ThrottleKey, now: number) {
	const t = loginThrottle;
	const windowOver = sql`${t.windowStartedAt} <= ${now - rule.windowMs}`;
	const failures = sql`case when ${windowOver} then 1 else ${t.failures} + 1 end`;
	return db
		.insert(t)
		.values({ key, failures: 1, windowStartedAt: now, lockedUntil: rule.limit <= 1 ? now + rule.lockMs : null })
		.onConflictDoUpdate({
			target: t.key,
			// Every expression reads the row as it was before this update.
			set: {
				failures,
				windowStartedAt: sql`case when ${windowOver} then ${now} else ${t.windowStartedAt} end`,
				lockedUntil: sql`case when ${failures} >= ${rule.limit} then ${now + rule.lockMs} when ${windowOver} then null else ${t.lockedUntil} end`,
			},
		})
		.returning({ lockedUntil: t.lockedUntil });
}

/**
 * Forgets `key`'s failures (a successful sign-in clears its email's count) and sweeps counters
 * whose window and lock are both over, so that the table holds only what still matters.
 */
export function throttleClear(db: Db, key: ThrottleKey, now: number) {
	const t = loginThrottle;
	const stale = and(
		lte(t.windowStartedAt, now - Math.max(EMAIL_RULE.windowMs, ADDRESS_RULE.windowMs)),
		or(isNull(t.lockedUntil), lte(t.lockedUntil, now)),
	);
	return db.delete(t).where(or(eq(t.key, key.key), stale));
}
