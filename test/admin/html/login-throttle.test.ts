import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ADDRESS_RULE, DEVICE_RULE, EMAIL_RULE } from "../../../src/db/queries/throttle";
import * as schema from "../../../src/db/schema";
import { DEVICE_MAX_AGE_MS, newDevice, signDevice } from "../../../src/lib/device-token";
import { hashPassword } from "../../../src/lib/passwords";
import { countingD1, resetDb, testDb } from "../../helpers";
import {
	cookiePair,
	createEditor,
	devicePair,
	expectPrivate,
	HTTP_BASE,
	httpSite,
	postLogin,
	setCookieOf,
	TEST_PASSWORD,
} from "../helpers";

// Sign-in throttling that an attacker cannot turn against editors: addresses keyed so that one
// IPv6 host cannot spread its guesses, nothing written for refused attempts, and device cookies
// that let an editor's own browser in while an attacker has locked their email.

const MINUTE = 60_000;
const DEVICE = "__Host-samarium_device";

async function throttleRows() {
	return testDb().select().from(schema.loginThrottle);
}

async function throttleRow(key: string) {
	const [row] = await testDb().select().from(schema.loginThrottle).where(eq(schema.loginThrottle.key, key));
	return row;
}

async function auditCount(action: string): Promise<number> {
	return (await testDb().select().from(schema.auditLog).where(eq(schema.auditLog.action, action))).length;
}

/** An attacker's wrong passwords for `email`, each from its own address, until the email is locked. */
async function lockEmail(email: string, from = "198.51.100"): Promise<void> {
	for (let i = 1; i <= EMAIL_RULE.limit; i++) {
		const res = await postLogin({ email, password: `attacker-guess-${i}` }, { ip: `${from}.${i}` });
		expect(res.status).toBe(i < EMAIL_RULE.limit ? 401 : 429);
	}
}

function expectLocked(res: Response) {
	expect(res.status).toBe(429);
	expectPrivate(res);
	expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
	expect(res.headers.get("set-cookie")).toBeNull();
}

beforeEach(resetDb);

describe("client addresses", () => {
	it("counts IPv6 per /64: failures from many addresses of one /64 lock all of it, not the next /64", async () => {
		await createEditor({ email: "six@samarium.test" });
		for (let i = 1; i <= ADDRESS_RULE.limit; i++) {
			const ip = `2001:db8:aa:bb:${i.toString(16)}:${(i * 7).toString(16)}::${i}`;
			const res = await postLogin({ email: `guess${i}@samarium.test`, password: "wrong-password" }, { ip });
			expect(res.status).toBe(i < ADDRESS_RULE.limit ? 401 : 429);
		}
		const sameBlock = await postLogin(
			{ email: "six@samarium.test", password: TEST_PASSWORD },
			{ ip: "2001:DB8:AA:BB:FFFF:FFFF:FFFF:FFFF" },
		);
		expectLocked(sameBlock);
		const nextBlock = await postLogin(
			{ email: "six@samarium.test", password: TEST_PASSWORD },
			{ ip: "2001:db8:aa:bc::1" },
		);
		expect(nextBlock.status).toBe(303);
		expect((await throttleRows()).map((row) => row.key)).toContain("ip:2001:db8:aa:bb::/64");
	}, 30_000);

	it("counts an IPv4-mapped IPv6 address as the IPv4 address", async () => {
		for (let i = 1; i < ADDRESS_RULE.limit; i++) {
			const res = await postLogin({ email: `mapped${i}@samarium.test`, password: "wrong" }, { ip: "198.51.100.77" });
			expect(res.status).toBe(401);
		}
		const last = await postLogin(
			{ email: "mapped-last@samarium.test", password: "wrong" },
			{ ip: "::ffff:198.51.100.77" },
		);
		expect(last.status).toBe(429);
		expect(await throttleRow("ip:198.51.100.77")).toMatchObject({ failures: ADDRESS_RULE.limit });
	}, 30_000);
});

describe("refused attempts", () => {
	it("write nothing: a flood of 200 random emails from one address leaves 21 counters and 20 audit entries", async () => {
		const ip = "203.0.113.9";
		const statuses: number[] = [];
		for (let i = 0; i < 200; i++) {
			const email = `${crypto.randomUUID()}@flood.example`;
			statuses.push((await postLogin({ email, password: "wrong-password" }, { ip })).status);
		}
		expect(statuses.slice(0, ADDRESS_RULE.limit - 1).every((status) => status === 401)).toBe(true);
		expect(statuses.slice(ADDRESS_RULE.limit - 1).every((status) => status === 429)).toBe(true);
		const rows = await throttleRows();
		expect(rows).toHaveLength(ADDRESS_RULE.limit + 1);
		expect(rows.filter((row) => row.key.startsWith("email:"))).toHaveLength(ADDRESS_RULE.limit);
		// The attempt that locked the address was counted on both of its counters.
		expect(await throttleRow(`ip:${ip}`)).toMatchObject({ failures: ADDRESS_RULE.limit });
		expect(await auditCount("login.fail")).toBe(ADDRESS_RULE.limit);
	}, 60_000);

	it("decide both counters before writing either: the attempt that locks its email counts on its address", async () => {
		const ip = "203.0.113.30";
		for (let i = 1; i <= EMAIL_RULE.limit; i++) {
			await postLogin({ email: "locking@samarium.test", password: `wrong-${i}` }, { ip });
		}
		expect(await throttleRow("email:locking@samarium.test")).toMatchObject({ failures: EMAIL_RULE.limit });
		expect(await throttleRow(`ip:${ip}`)).toMatchObject({ failures: EMAIL_RULE.limit, lockedUntil: null });
	});

	it("bound the table under a flood from many addresses: each adds at most its limit of emails", async () => {
		const addresses = ["203.0.113.21", "2001:db8:1:2::5", "203.0.113.22"];
		for (const ip of addresses) {
			for (let i = 0; i < ADDRESS_RULE.limit + 10; i++) {
				await postLogin({ email: `${crypto.randomUUID()}@flood.example`, password: "wrong" }, { ip });
			}
		}
		expect(await throttleRows()).toHaveLength(addresses.length * (ADDRESS_RULE.limit + 1));
	}, 60_000);

	it("change no row, whether the email or the address is locked", async () => {
		await createEditor({ email: "still@samarium.test" });
		await lockEmail("still@samarium.test");
		const before = await throttleRows();
		// A new address trying the locked email: no row for the address either.
		expectLocked(await postLogin({ email: "still@samarium.test", password: TEST_PASSWORD }, { ip: "192.0.2.200" }));
		expect(await throttleRows()).toEqual(before);

		const ip = "192.0.2.201";
		for (let i = 1; i <= ADDRESS_RULE.limit; i++) {
			await postLogin({ email: `spray${i}@samarium.test`, password: "wrong" }, { ip });
		}
		const locked = await throttleRows();
		const audits = await auditCount("login.fail");
		// A locked address trying a new email: no row for the email.
		expectLocked(await postLogin({ email: "fresh@samarium.test", password: "wrong" }, { ip }));
		expect(await throttleRows()).toEqual(locked);
		expect(await auditCount("login.fail")).toBe(audits);
	}, 30_000);

	it("leave 5 of 30 simultaneous attempts from a known browser checked while its email is locked", async () => {
		const editor = await createEditor({ email: "rush@samarium.test" });
		const device = await knownBrowser(editor.email);
		await lockEmail(editor.email, "198.51.100");
		const before = await auditCount("login.fail");
		const answers = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				postLogin({ email: editor.email, password: `wrong-${i}` }, { ip: `192.0.2.${i + 1}`, cookie: device }),
			),
		);
		const statuses = answers.map((res) => res.status);
		expect(statuses.filter((status) => status === 401)).toHaveLength(DEVICE_RULE.limit - 1);
		expect(statuses.filter((status) => status === 429)).toHaveLength(30 - (DEVICE_RULE.limit - 1));
		expect((await auditCount("login.fail")) - before).toBe(DEVICE_RULE.limit);
	});
});

describe("stale counters", () => {
	it("are swept by the next counted failure; counters still in their window or lock stay", async () => {
		const now = Date.now();
		const stale = Array.from({ length: 20 }, (_, i) => ({
			key: `email:stale${i}@samarium.test`,
			failures: 3,
			windowStartedAt: now - 16 * MINUTE,
			lockedUntil: i % 2 === 0 ? null : now - MINUTE,
		}));
		const live = [
			{ key: "email:window@samarium.test", failures: 2, windowStartedAt: now - 5 * MINUTE, lockedUntil: null },
			{ key: "email:locked@samarium.test", failures: 5, windowStartedAt: now - 20 * MINUTE, lockedUntil: now + MINUTE },
		];
		// Twenty: D1 binds at most 100 parameters per statement.
		await testDb()
			.insert(schema.loginThrottle)
			.values([...stale, ...live]);
		expect((await postLogin({ email: "someone@samarium.test", password: "wrong" }, { ip: "192.0.2.50" })).status).toBe(
			401,
		);
		const keys = (await throttleRows()).map((row) => row.key).sort();
		expect(keys).toEqual(
			[
				"email:locked@samarium.test",
				"email:someone@samarium.test",
				"email:window@samarium.test",
				"ip:192.0.2.50",
			].sort(),
		);
	});

	it("are found through the window index, not a scan of the table", async () => {
		const recorder = countingD1(env.DB);
		await postLogin({ email: "plan@samarium.test", password: "wrong" }, { bindings: { ...env, DB: recorder.db } });
		const sweep = recorder.queries.find((q) => /^delete from "login_throttle"/i.test(q.sql));
		expect(sweep).toBeDefined();
		const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sweep?.sql}`)
			.bind(...(sweep?.params ?? []))
			.all<{ detail: string }>();
		expect(results.map((r) => r.detail).join("\n")).toMatch(/USING INDEX login_throttle_window_idx/);
	});
});

/** Signs `email` in from a browser (with the test password) and returns its device cookie. */
async function knownBrowser(email: string, ip = "192.0.2.99"): Promise<string> {
	const res = await postLogin({ email, password: TEST_PASSWORD }, { ip });
	expect(res.status).toBe(303);
	const device = devicePair(res);
	expect(device).toMatch(new RegExp(`^${DEVICE}=`));
	return device;
}

/** A device cookie for `editor`, as the site would sign it, with any field changed. */
async function mintedDevice(
	editor: schema.Editor,
	changes: { issuedAt?: number; editorId?: number; secret?: string } = {},
): Promise<string> {
	const device = { ...newDevice(editor.id, Date.now()), ...changes };
	return `${DEVICE}=${await signDevice(device, changes.secret ?? editor.passwordHash)}`;
}

describe("device cookies", () => {
	it("are issued at sign-in: signed, HttpOnly, SameSite=Lax, Path=/, 180 days; __Host- and Secure over https", async () => {
		await createEditor({ email: "dee@samarium.test" });
		const res = await postLogin({ email: "dee@samarium.test", password: TEST_PASSWORD });
		expect(res.status).toBe(303);
		const header = setCookieOf(res, DEVICE) ?? "";
		const [pair = "", ...attributes] = header.split("; ");
		expect(pair).toMatch(new RegExp(`^${DEVICE}=[1-9][0-9]*\\.[1-9][0-9]*\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}$`));
		expect(attributes.sort()).toEqual(
			[`Max-Age=${DEVICE_MAX_AGE_MS / 1000}`, "Path=/", "HttpOnly", "Secure", "SameSite=Lax"].sort(),
		);
		// A fresh one (a new nonce) at every sign-in.
		const again = await postLogin({ email: "dee@samarium.test", password: TEST_PASSWORD });
		expect(devicePair(again)).not.toBe(pair);

		const http = await postLogin(
			{ email: "dee@samarium.test", password: TEST_PASSWORD },
			{ base: HTTP_BASE, bindings: httpSite() },
		);
		const plain = setCookieOf(http, "samarium_device") ?? "";
		expect(plain.split("; ").slice(1).sort()).toEqual(
			[`Max-Age=${DEVICE_MAX_AGE_MS / 1000}`, "Path=/", "HttpOnly", "SameSite=Lax"].sort(),
		);
	});

	it("let the editor's own browser in while an attacker has locked the email, and still lock that browser", async () => {
		const editor = await createEditor({ email: "bee@samarium.test" });
		// Browser B signs in once, and keeps its device cookie (its session has since ended).
		const device = await knownBrowser(editor.email, "192.0.2.10");

		// The attacker, from other addresses, locks the email.
		await lockEmail(editor.email);
		const stranger = await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.11" });
		expectLocked(stranger);
		expect(await stranger.text()).toMatch(/Too many failed sign-ins/);

		// Browser B, with the right password: in, with a new session and a new device cookie.
		const b = await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.10", cookie: device });
		expect(b.status).toBe(303);
		expect(b.headers.get("location")).toBe("/admin");
		expect(cookiePair(b)).toMatch(/^__Host-samarium_session=[A-Za-z0-9_-]{43}$/);
		const renewed = devicePair(b);
		expect(renewed).not.toBe(device);
		// Its sign-in did not lift the lock the attacker set: others are still kept out.
		expectLocked(await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.12" }));

		// Browser B's own wrong passwords count, on its own counter, and lock it after the limit.
		for (let i = 1; i <= DEVICE_RULE.limit; i++) {
			const res = await postLogin(
				{ email: editor.email, password: `b-typo-${i}` },
				{ ip: "192.0.2.10", cookie: renewed },
			);
			expect(res.status).toBe(i < DEVICE_RULE.limit ? 401 : 429);
		}
		const audits = await auditCount("login.fail");
		expectLocked(
			await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.10", cookie: renewed }),
		);
		// Refused without a password check: no audit entry for it.
		expect(await auditCount("login.fail")).toBe(audits);
		expect(await throttleRow(`email:${editor.email}`)).toMatchObject({ failures: EMAIL_RULE.limit });
	}, 30_000);

	it("give no exemption when forged, expired, tampered with, another editor's, or from before a new password", async () => {
		const editor = await createEditor({ email: "cat@samarium.test" });
		const other = await createEditor({ email: "dog@samarium.test" });
		const valid = await mintedDevice(editor);
		const tamperedNonce = valid.replace(/\.([A-Za-z0-9_-])([A-Za-z0-9_-]{21})\./, (_m, first: string, rest: string) => {
			return `.${first === "A" ? "B" : "A"}${rest}.`;
		});
		const [, value = ""] = valid.split("=");
		const [, issued, nonce, signature] = value.split(".");
		const cookies: [string, string][] = [
			["forged (signed with another key)", await mintedDevice(editor, { secret: "not-the-password-hash" })],
			["expired", await mintedDevice(editor, { issuedAt: Date.now() - DEVICE_MAX_AGE_MS - MINUTE })],
			["issued in the future", await mintedDevice(editor, { issuedAt: Date.now() + 60 * MINUTE })],
			["with another nonce", tamperedNonce],
			["naming another editor", `${DEVICE}=${other.id}.${issued}.${nonce}.${signature}`],
			["another editor's own", await mintedDevice(other)],
			["in the plain http name over https", valid.replace(DEVICE, "samarium_device")],
			["junk", `${DEVICE}=not-a-device-cookie`],
		];
		expect(tamperedNonce).not.toBe(valid);
		await lockEmail(editor.email);
		for (const [what, cookie] of cookies) {
			const res = await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.20", cookie });
			expect(res.status, what).toBe(429);
		}

		// A new password revokes every device cookie signed before it.
		const beforeReset = await mintedDevice(editor);
		const newHash = await hashPassword(TEST_PASSWORD, 1_000);
		await testDb().update(schema.editors).set({ passwordHash: newHash }).where(eq(schema.editors.id, editor.id));
		expectLocked(
			await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.20", cookie: beforeReset }),
		);
		// The same cookie, signed with the key it should have: the way in (so the refusals above were the cookies').
		const good = await mintedDevice({ ...editor, passwordHash: newHash });
		expect(
			(await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.20", cookie: good })).status,
		).toBe(303);
	}, 30_000);

	it("do not lift the address lock", async () => {
		const editor = await createEditor({ email: "eel@samarium.test" });
		const device = await knownBrowser(editor.email, "192.0.2.30");
		for (let i = 1; i <= ADDRESS_RULE.limit; i++) {
			await postLogin({ email: `spray${i}@samarium.test`, password: "wrong" }, { ip: "192.0.2.30" });
		}
		expectLocked(
			await postLogin({ email: editor.email, password: TEST_PASSWORD }, { ip: "192.0.2.30", cookie: device }),
		);
	}, 30_000);

	it("cost one more D1 read, and only when the cookie is in the right format", async () => {
		const editor = await createEditor({ email: "fox@samarium.test" });
		const device = await knownBrowser(editor.email);
		const cases: [string, string | undefined, number][] = [
			["no cookie", undefined, 2],
			["junk", `${DEVICE}=junk`, 2],
			["a valid device cookie", device, 3],
		];
		for (const [what, cookie, roundTrips] of cases) {
			const counted = countingD1(env.DB);
			const res = await postLogin(
				{ email: editor.email, password: "wrong-password" },
				{ cookie, bindings: { ...env, DB: counted.db } },
			);
			expect(res.status, what).toBe(401);
			expect(counted.counts.roundTrips, what).toBe(roundTrips);
		}
	});
});
