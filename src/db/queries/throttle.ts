import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
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

/**
 * Counts one sign-in attempt against `key` before its password is checked, as one atomic upsert.
 * Counting first is what makes the limit hold under concurrency: D1 applies the upserts one at a
 * time, so however many attempts arrive together, only the first `limit` in a window get as far
 * as a password check; the one that reaches the limit sets the lock. A lock, while it lasts,
 * keeps its end and its count (the count then only grows); once it is over, or the window has
 * run out, the count starts again at this attempt. Returns the count and the lock's end.
 */
export function attemptUpsert(db: Db, { key, rule }: ThrottleKey, now: number) {
	const t = loginThrottle;
	const locked = sql`coalesce(${t.lockedUntil} > ${now}, 0)`;
	const startOver = sql`(not ${locked} and (${t.windowStartedAt} <= ${now - rule.windowMs} or coalesce(${t.lockedUntil} <= ${now}, 0)))`;
	const failures = sql`case when ${startOver} then 1 else ${t.failures} + 1 end`;
	return db
		.insert(t)
		.values({ key, failures: 1, windowStartedAt: now, lockedUntil: rule.limit <= 1 ? now + rule.lockMs : null })
		.onConflictDoUpdate({
			target: t.key,
			// Every expression reads the row as it was before this update.
			set: {
				failures,
				windowStartedAt: sql`case when ${startOver} then ${now} else ${t.windowStartedAt} end`,
				lockedUntil: sql`case when ${locked} then ${t.lockedUntil} when ${failures} >= ${rule.limit} then ${now + rule.lockMs} else null end`,
			},
		})
		.returning({ failures: t.failures, lockedUntil: t.lockedUntil });
}

/** True when an attempt, counted by attemptUpsert, may not even have its password checked. */
export function overLimit(counted: { failures: number } | undefined, { rule }: ThrottleKey): boolean {
	return (counted?.failures ?? 0) > rule.limit;
}

/** A successful sign-in is not a failure: take its attempt back off the address's count. */
export function attemptForgive(db: Db, key: ThrottleKey) {
	const t = loginThrottle;
	return db
		.update(t)
		.set({ failures: sql`max(${t.failures} - 1, 0)` })
		.where(eq(t.key, key.key));
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
