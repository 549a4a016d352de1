import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { loginThrottle } from "../schema";

// Failed sign-ins, counted per client address (trying many emails from one place) and per email
// (guessing one editor's password), in D1 so that every isolate sees the same counts. A browser
// that has signed in as an editor before (a device cookie, src/lib/device-token.ts) is counted on
// a counter of its own instead of the email's, so that an attacker's failures from elsewhere,
// which lock the email, do not lock that editor out of their own browser.

/** `limit` failures within `windowMs` of the first one lock the key for `lockMs`. */
export type ThrottleRule = { limit: number; windowMs: number; lockMs: number };

const MINUTE = 60 * 1000;

export const EMAIL_RULE: ThrottleRule = { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
// Higher than the email limit: several editors can share an office's address.
export const ADDRESS_RULE: ThrottleRule = { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** As strict as an email: a stolen device cookie must not be a way to guess faster. */
export const DEVICE_RULE: ThrottleRule = EMAIL_RULE;

const LONGEST_WINDOW = Math.max(EMAIL_RULE.windowMs, ADDRESS_RULE.windowMs, DEVICE_RULE.windowMs);

export type ThrottleKey = { key: string; rule: ThrottleRule };

/**
 * The two counters a sign-in attempt is counted on: its client address's, and its account's,
 * which is the email's or, from a browser with a valid device cookie for that email's editor,
 * that device's own.
 */
export type AttemptKeys = { address: ThrottleKey; account: ThrottleKey };

/**
 * `email` normalized, `address` as src/lib/client-address.ts keys it, `device` the nonce of a
 * verified device cookie (or null).
 */
export function throttleKeys(input: { email: string; address: string; device: string | null }): AttemptKeys {
	return {
		address: { key: `ip:${input.address}`, rule: ADDRESS_RULE },
		account: input.device
			? { key: `device:${input.device}`, rule: DEVICE_RULE }
			: { key: `email:${input.email}`, rule: EMAIL_RULE },
	};
}

/**
 * Counts one sign-in attempt on both its counters before its password is checked, as one upsert
 * that writes nothing at all while either counter is locked: a refused attempt leaves no trace,
 * so a flood of them cannot grow the table. Counting first is what makes the limit hold under
 * concurrency: D1 applies statements one at a time, so however many attempts arrive together,
 * only the first `limit` in a window are counted and get as far as a password check; the one that
 * reaches the limit sets the lock, and every later one finds it. Both rows are decided by the one
 * lock check, made before either is written (the attempt that locks its account is still counted
 * on its address). Once a lock is over, or the window has run out, a count starts again at this
 * attempt. Returns both counters as they are after this attempt, or no rows when it was refused.
 */
export function attemptCount(db: Db, { address, account }: AttemptKeys, now: number) {
	const t = loginThrottle;
	// One upsert for both rows, so each takes its own key's rule.
	const rule = (pick: (rule: ThrottleRule) => number) =>
		sql`(case when excluded."key" = ${address.key} then ${pick(address.rule)} else ${pick(account.rule)} end)`;
	const firstLock = (r: ThrottleRule) => (r.limit <= 1 ? now + r.lockMs : null);
	// The select's columns are the table's, in its order. Its WHERE also keeps SQLite from reading
	// ON CONFLICT as a join constraint (https://sqlite.org/lang_upsert.html, "parsing ambiguity").
	const attempt = sql`select column1, 1, ${now}, column2
		from (values (${account.key}, ${firstLock(account.rule)}), (${address.key}, ${firstLock(address.rule)}))
		where not exists (
			select 1 from ${t} where ${t.key} in (${account.key}, ${address.key}) and ${t.lockedUntil} > ${now}
		)`;
	// No row that reaches the update is locked (the WHERE above): its count goes on, or starts over.
	const startOver = sql`(${t.windowStartedAt} <= ${now} - ${rule((r) => r.windowMs)} or coalesce(${t.lockedUntil} <= ${now}, 0))`;
	const failures = sql`case when ${startOver} then 1 else ${t.failures} + 1 end`;
	return db
		.insert(t)
		.select(attempt)
		.onConflictDoUpdate({
			target: t.key,
			// Every expression reads the row as it was before this update.
			set: {
				failures,
				windowStartedAt: sql`case when ${startOver} then ${now} else ${t.windowStartedAt} end`,
				lockedUntil: sql`case when ${failures} >= ${rule((r) => r.limit)} then ${now} + ${rule((r) => r.lockMs)} else null end`,
			},
		})
		.returning({ key: t.key, failures: t.failures, lockedUntil: t.lockedUntil });
}

/** Both counters' locks, read after attemptCount in the same batch: why a refused attempt was refused, and until when. */
export function attemptLocks(db: Db, { address, account }: AttemptKeys) {
	const t = loginThrottle;
	return db
		.select({ key: t.key, lockedUntil: t.lockedUntil })
		.from(t)
		.where(inArray(t.key, [account.key, address.key]));
}

/** The latest end among locks still running, or 0. */
export function lockEnd(rows: { lockedUntil: number | null }[], now: number): number {
	return Math.max(0, ...rows.map((row) => row.lockedUntil ?? 0).filter((until) => until > now));
}

/** A successful sign-in is not a failure: take its attempt back off the address's count. */
export function attemptForgive(db: Db, key: ThrottleKey) {
	const t = loginThrottle;
	return db
		.update(t)
		.set({ failures: sql`max(${t.failures} - 1, 0)` })
		.where(eq(t.key, key.key));
}

/** Counters whose window and lock are both over: they no longer hold anything back. */
function stale(now: number) {
	const t = loginThrottle;
	return and(lte(t.windowStartedAt, now - LONGEST_WINDOW), or(isNull(t.lockedUntil), lte(t.lockedUntil, now)));
}

/**
 * Forgets `key`'s failures (a successful sign-in clears its account's count; a refused attempt
 * never gets here, so this never lifts a lock an attacker set on an email) and sweeps stale
 * counters.
 */
export function throttleClear(db: Db, key: ThrottleKey, now: number) {
	const t = loginThrottle;
	return db.delete(t).where(or(eq(t.key, key.key), stale(now)));
}

/**
 * Deletes stale counters, on the window_started_at index. Run with every counted failure, so that
 * the table holds little more than the counters still in their window or lock, even under a
 * flood from many addresses with no successful sign-in in between.
 */
export function throttleSweep(db: Db, now: number) {
	return db.delete(loginThrottle).where(stale(now));
}
