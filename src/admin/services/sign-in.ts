import { auditInsert } from "../../db/queries/audit";
import { editorByEmail, findEditorByEmail, normalizeEmail } from "../../db/queries/editors";
import { expiredSessionsDelete, newSession, sessionDelete, sessionInsert } from "../../db/queries/sessions";
import {
	attemptCount,
	attemptForgive,
	attemptLocks,
	lockEnd,
	throttleClear,
	throttleKeys,
	throttleSweep,
} from "../../db/queries/throttle";
import type { CurrentEditor } from "../../db/schema";
import { addressKey } from "../../lib/client-address";
import { newDevice, parseDevice, signDevice, verifyDevice } from "../../lib/device-token";
import { dummyPasswordHash, verifyPassword } from "../../lib/passwords";
import type { Deps } from "./deps";

// Signing in and out: the throttle (src/db/queries/throttle.ts), the password check, device
// cookies' values (src/lib/device-token.ts), sessions and their audit entries. Cookies themselves
// are HTTP's: the handler reads them and hands over their text, and sets what comes back.

/** Nobody is signed in yet, so a sign-in has no acting editor: only the database and the time. */
export type SignInDeps = Pick<Deps, "db" | "now">;

export type SignInInput = {
	/** As typed; normalized here. */
	email: string;
	password: string;
	/** The client's address as Cloudflare reported it (`cf-connecting-ip`), if it did. */
	address: string | undefined;
	/** The text of the browser's device cookie, if it sent one. */
	device: string | undefined;
	/** The token hash of the session the browser already has: the new one replaces it. */
	replaces: string | null;
};

export type SignInFields = { email?: string; password?: string };

export type SignInResult =
	/** `session` is the new session's token and `device` a fresh device cookie value, both for the browser. */
	| { ok: true; editor: CurrentEditor; session: string; device: string }
	/** A field is empty: nothing was counted or checked. */
	| { ok: false; reason: "incomplete"; fields: SignInFields }
	/** A lock holds until `until` (ms): no password was checked and nothing was written. */
	| { ok: false; reason: "locked"; until: number }
	/** Wrong email or password; `lockedUntil` (ms) when this failure reached a limit, else null. */
	| { ok: false; reason: "incorrect"; lockedUntil: number | null };

/** The client's address as the audit log records it (the throttle keys it by addressKey). */
function auditAddress(address: string | undefined): string {
	return (address ?? "unknown").slice(0, 64);
}

/**
 * The nonce of a device cookie (its text) when it is valid for the editor whose normalized email
 * is being tried, or null. Only a cookie in the right format costs a database read (the editor,
 * for their key); checking it costs an HMAC, never a password check.
 */
export async function trustedDevice(
	deps: SignInDeps,
	cookie: string | undefined,
	email: string,
): Promise<string | null> {
	const presented = parseDevice(cookie);
	if (!presented) return null;
	const editor = await findEditorByEmail(deps.db, email);
	if (!editor || !(await verifyDevice(presented, editor.id, editor.passwordHash, deps.now))) return null;
	return presented.nonce;
}

export async function signIn(deps: SignInDeps, input: SignInInput): Promise<SignInResult> {
	const fields: SignInFields = {};
	if (input.email.trim() === "") fields.email = "Enter your email address.";
	if (input.password === "") fields.password = "Enter your password.";
	if (fields.email || fields.password) return { ok: false, reason: "incomplete", fields };

	const { db, now } = deps;
	const email = normalizeEmail(input.email);
	// A browser that has signed in as this email's editor before is spared the email's lock (an
	// attacker's failures from elsewhere must not keep the editor out) and counted on its own.
	const device = await trustedDevice(deps, input.device, email);
	const keys = throttleKeys({ email, address: addressKey(input.address), device });
	// The attempt is counted before the password is checked (see attemptCount): while a lock
	// holds, no password is checked at all, not even a right one, and nothing is written.
	// One round trip: the counts, the locks, and the editor (read whether or not the password is then checked).
	const [counted, locks, [editor]] = await db.batch([
		attemptCount(db, keys, now),
		attemptLocks(db, keys),
		editorByEmail(db, email),
	]);
	if (counted.length === 0) return { ok: false, reason: "locked", until: lockEnd(locks, now) };
	const lock = lockEnd(counted, now);

	// An unknown email costs the same PBKDF2 work as a wrong password, so timing tells them apart no
	// more than the answer does. The dummy hash is made first either way (once per isolate).
	const dummy = await dummyPasswordHash();
	const matches = await verifyPassword(input.password, editor?.passwordHash ?? dummy);
	const address = auditAddress(input.address);
	const detail = device ? { address, device: "known" } : { address };

	if (editor && matches) {
		const { token, row } = await newSession(editor.id, now);
		await db.batch([
			sessionInsert(db, row),
			expiredSessionsDelete(db, now),
			throttleClear(db, keys.account, now),
			attemptForgive(db, keys.address),
			auditInsert(db, {
				actor: { id: editor.id, email: editor.email },
				action: "login.success",
				subject: `editor:${editor.id}`,
				detail,
				at: now,
			}),
			// Signing in again replaces the session the browser had: one cookie, one row.
			...(input.replaces !== null ? [sessionDelete(db, input.replaces)] : []),
		]);
		// Signed with the password hash, so that a new password revokes every device cookie.
		const deviceValue = await signDevice(newDevice(editor.id, now), editor.passwordHash);
		const { id, name, role } = editor;
		return { ok: true, editor: { id, email: editor.email, name, role }, session: token, device: deviceValue };
	}

	await db.batch([
		auditInsert(db, {
			actor: { id: editor?.id ?? null, email: editor?.email ?? email },
			action: "login.fail",
			subject: editor ? `editor:${editor.id}` : `email:${email}`,
			detail: { ...detail, reason: editor ? "wrong password" : "unknown email" },
			at: now,
		}),
		throttleSweep(db, now),
	]);
	return { ok: false, reason: "incorrect", lockedUntil: lock > now ? lock : null };
}

/** Ends the session with this token hash, which `editor` signed in with. */
export async function signOut(deps: SignInDeps, input: { tokenHash: string; editor: CurrentEditor }): Promise<void> {
	const { db, now } = deps;
	const { tokenHash, editor } = input;
	await db.batch([
		sessionDelete(db, tokenHash),
		auditInsert(db, {
			actor: { id: editor.id, email: editor.email },
			action: "logout",
			subject: `editor:${editor.id}`,
			at: now,
		}),
	]);
}
