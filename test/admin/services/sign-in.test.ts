import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type SignInDeps, type SignInInput, signIn, signOut } from "../../../src/admin/services/sign-in";
import { EMAIL_RULE } from "../../../src/db/queries/throttle";
import * as schema from "../../../src/db/schema";
import { dummyPasswordHash, PBKDF2_ITERATIONS } from "../../../src/lib/passwords";
import { hashToken } from "../../../src/lib/tokens";
import { resetDb, testDb } from "../../helpers";
import { createEditor, TEST_PASSWORD } from "../helpers";

// The sign-in service without HTTP: what it decides and what it writes, given plain arguments.
// Passwords are PBKDF2 through crypto.subtle.deriveBits, so a spy on it shows whether, and against
// which hash, a password was checked (test editors' hashes use 1,000 iterations, the dummy 100,000).

const ADDRESS = "192.0.2.10";

function deps(now = Date.now()): SignInDeps {
	return { db: testDb(), now };
}

function attempt(input: Partial<SignInInput> & { email: string }): SignInInput {
	return { password: TEST_PASSWORD, address: ADDRESS, device: undefined, replaces: null, ...input };
}

async function sessionsOf(editorId: number) {
	return testDb().select().from(schema.sessions).where(eq(schema.sessions.editorId, editorId));
}

async function throttleRow(key: string) {
	const [row] = await testDb().select().from(schema.loginThrottle).where(eq(schema.loginThrottle.key, key));
	return row;
}

async function auditActions(): Promise<string[]> {
	return (await testDb().select().from(schema.auditLog).orderBy(schema.auditLog.id)).map((row) => row.action);
}

/** Password checks (PBKDF2 derivations) from here on, by their iteration counts. */
function watchPasswordChecks(): () => (number | undefined)[] {
	const spy = vi.spyOn(crypto.subtle, "deriveBits");
	return () => spy.mock.calls.map(([algorithm]) => (algorithm as { iterations?: number }).iterations);
}

beforeEach(resetDb);
afterEach(() => vi.restoreAllMocks());

describe("signIn", () => {
	it("signs in with the right password: a session row under the token's hash, and the audit entry", async () => {
		const editor = await createEditor({ email: "ada@samarium.test" });
		const result = await signIn(deps(), attempt({ email: " ADA@samarium.test " }));
		if (!result.ok) throw new Error(`refused: ${result.reason}`);
		expect(result.editor).toEqual({ id: editor.id, email: editor.email, name: editor.name, role: editor.role });
		const [session, ...others] = await sessionsOf(editor.id);
		expect(others).toHaveLength(0);
		expect(session?.tokenHash).toBe(await hashToken(result.session));
		expect(await auditActions()).toEqual(["login.success"]);
		// The counters of a successful sign-in are forgiven: its account's goes, its address's is back to 0.
		expect(await throttleRow("email:ada@samarium.test")).toBeUndefined();
		expect((await throttleRow(`ip:${ADDRESS}`))?.failures).toBe(0);
	});

	it("refuses a wrong password: no session, and the failure counted on the email and the address", async () => {
		const editor = await createEditor({ email: "bea@samarium.test" });
		const result = await signIn(deps(), attempt({ email: editor.email, password: "wrong-password" }));
		expect(result).toEqual({ ok: false, reason: "incorrect", lockedUntil: null });
		expect(await sessionsOf(editor.id)).toHaveLength(0);
		expect(await throttleRow("email:bea@samarium.test")).toMatchObject({ failures: 1, lockedUntil: null });
		expect(await throttleRow(`ip:${ADDRESS}`)).toMatchObject({ failures: 1, lockedUntil: null });
		expect(await auditActions()).toEqual(["login.fail"]);
	});

	it("locks the email at the limit, then refuses with the lock's end without checking any password", async () => {
		const editor = await createEditor({ email: "cyd@samarium.test" });
		const now = Date.now();
		for (let i = 1; i <= EMAIL_RULE.limit; i++) {
			const result = await signIn(
				deps(now),
				attempt({ email: editor.email, password: `guess-${i}`, address: `198.51.100.${i}` }),
			);
			expect(result).toEqual({
				ok: false,
				reason: "incorrect",
				lockedUntil: i < EMAIL_RULE.limit ? null : now + EMAIL_RULE.lockMs,
			});
		}
		const checks = watchPasswordChecks();
		const later = now + 60_000;
		const result = await signIn(deps(later), attempt({ email: editor.email, address: "203.0.113.7" }));
		expect(result).toEqual({ ok: false, reason: "locked", until: now + EMAIL_RULE.lockMs });
		expect(checks()).toEqual([]);
		expect(await sessionsOf(editor.id)).toHaveLength(0);
		// Refused before anything was written: no new audit entry, no counter for the new address.
		expect(await auditActions()).toEqual(Array(EMAIL_RULE.limit).fill("login.fail"));
		expect(await throttleRow("ip:203.0.113.7")).toBeUndefined();
	});

	it("lets a trusted device in while its email is locked, counted on the device's own counter", async () => {
		const editor = await createEditor({ email: "dot@samarium.test" });
		const first = await signIn(deps(), attempt({ email: editor.email }));
		if (!first.ok) throw new Error(`refused: ${first.reason}`);
		for (let i = 1; i <= EMAIL_RULE.limit; i++) {
			await signIn(deps(), attempt({ email: editor.email, password: `guess-${i}`, address: `198.51.100.${i}` }));
		}
		expect((await throttleRow("email:dot@samarium.test"))?.lockedUntil).toBeGreaterThan(Date.now());

		const stranger = await signIn(deps(), attempt({ email: editor.email }));
		expect(stranger).toMatchObject({ ok: false, reason: "locked" });
		const wrong = await signIn(deps(), attempt({ email: editor.email, password: "typo", device: first.device }));
		expect(wrong).toEqual({ ok: false, reason: "incorrect", lockedUntil: null });
		const nonce = first.device.split(".")[2];
		expect((await throttleRow(`device:${nonce}`))?.failures).toBe(1);
		const known = await signIn(deps(), attempt({ email: editor.email, device: first.device }));
		expect(known).toMatchObject({ ok: true, editor: { id: editor.id } });
		// The attacker's lock on the email stands; only this browser got past it.
		expect((await throttleRow("email:dot@samarium.test"))?.lockedUntil).toBeGreaterThan(Date.now());
		expect(await throttleRow(`device:${nonce}`)).toBeUndefined();
	});

	it("checks an unknown email's password against the dummy hash, as costly as a real one", async () => {
		await dummyPasswordHash();
		const checks = watchPasswordChecks();
		const result = await signIn(deps(), attempt({ email: "nobody@samarium.test" }));
		expect(result).toEqual({ ok: false, reason: "incorrect", lockedUntil: null });
		expect(checks()).toEqual([PBKDF2_ITERATIONS]);
		const [entry] = await testDb().select().from(schema.auditLog);
		expect(entry).toMatchObject({ action: "login.fail", subject: "email:nobody@samarium.test" });
		expect((await throttleRow("email:nobody@samarium.test"))?.failures).toBe(1);
	});

	it("refuses an empty field before counting or checking anything", async () => {
		const checks = watchPasswordChecks();
		const result = await signIn(deps(), attempt({ email: "  ", password: "" }));
		expect(result).toEqual({
			ok: false,
			reason: "incomplete",
			fields: { email: "Enter your email address.", password: "Enter your password." },
		});
		expect(checks()).toEqual([]);
		expect(await testDb().select().from(schema.loginThrottle)).toHaveLength(0);
	});

	it("replaces the session the browser signs in from", async () => {
		const editor = await createEditor({ email: "eve@samarium.test" });
		const first = await signIn(deps(), attempt({ email: editor.email }));
		if (!first.ok) throw new Error(`refused: ${first.reason}`);
		const replaces = await hashToken(first.session);
		const second = await signIn(deps(), attempt({ email: editor.email, replaces }));
		if (!second.ok) throw new Error(`refused: ${second.reason}`);
		expect((await sessionsOf(editor.id)).map((row) => row.tokenHash)).toEqual([await hashToken(second.session)]);
	});
});

describe("signOut", () => {
	it("deletes the session and records the sign-out", async () => {
		const editor = await createEditor({ email: "fay@samarium.test" });
		const result = await signIn(deps(), attempt({ email: editor.email }));
		if (!result.ok) throw new Error(`refused: ${result.reason}`);
		await signOut(deps(), { tokenHash: await hashToken(result.session), editor: result.editor });
		expect(await sessionsOf(editor.id)).toHaveLength(0);
		expect(await auditActions()).toEqual(["login.success", "logout"]);
	});
});
