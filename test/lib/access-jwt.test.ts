import { beforeAll, describe, expect, it, vi } from "vitest";
import { accessSetting, verifyAccessJwt } from "../../src/lib/access-jwt";
import {
	type AccessKey,
	accessClaims,
	accessTeam,
	base64Url,
	fakeCerts,
	makeAccessKey,
	signAccessJwt,
} from "../admin/access-helpers";

const EMAIL = "ada@samarium.test";
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const MINUTE = 60_000;

let key: AccessKey;
let otherKey: AccessKey;

beforeAll(async () => {
	key = await makeAccessKey();
	otherKey = await makeAccessKey();
});

/** A fresh team with its certs endpoint publishing `keys` (default: the test key). */
function setup(keys?: AccessKey[]) {
	const config = accessTeam();
	const certs = fakeCerts(config, keys ?? [key]);
	const verify = (token: string, now = NOW) => verifyAccessJwt(token, config, { now, fetch: certs.fetch });
	const token = (overrides: Record<string, unknown> = {}, signer = key, header: Record<string, unknown> = {}) =>
		signAccessJwt(signer, accessClaims(config, EMAIL, overrides, NOW), header);
	return { config, certs, verify, token };
}

describe("accessSetting", () => {
	it("is off when neither variable is set, and incomplete (not off) when only one is", () => {
		expect(accessSetting({ ACCESS_TEAM_DOMAIN: "", ACCESS_AUD: "" })).toEqual({ state: "off" });
		expect(accessSetting({ ACCESS_TEAM_DOMAIN: " ", ACCESS_AUD: "" })).toEqual({ state: "off" });
		expect(accessSetting({ ACCESS_TEAM_DOMAIN: "team.cloudflareaccess.com", ACCESS_AUD: "" })).toEqual({
			state: "incomplete",
		});
		expect(accessSetting({ ACCESS_TEAM_DOMAIN: "  ", ACCESS_AUD: "abc" })).toEqual({ state: "incomplete" });
	});

	it.each([
		"team.cloudflareaccess.com",
		"https://team.cloudflareaccess.com",
		"https://Team.CloudflareAccess.com/",
		" team.cloudflareaccess.com ",
	])("reads the team domain %j as a bare host", (value) => {
		expect(accessSetting({ ACCESS_TEAM_DOMAIN: value, ACCESS_AUD: " abc123 " })).toEqual({
			state: "on",
			config: { teamDomain: "team.cloudflareaccess.com", aud: "abc123" },
		});
	});
});

describe("verifyAccessJwt accepts", () => {
	it("a current token for the audience, signed by a published key, and fetches the team's certs", async () => {
		const { verify, token, certs } = setup();
		expect(await verify(await token())).toEqual({ ok: true, email: EMAIL });
		expect(certs.requests).toEqual([certs.certsUrl]);
	});

	it("an audience given as a string, or as one of several", async () => {
		const { verify, token, config } = setup();
		expect(await verify(await token({ aud: config.aud }))).toMatchObject({ ok: true });
		expect(await verify(await token({ aud: ["another-app", config.aud] }))).toMatchObject({ ok: true });
	});

	it("nbf and iat up to a minute ahead of our clock, and no nbf/iat at all", async () => {
		const { verify, token } = setup();
		const seconds = NOW / 1000;
		expect(await verify(await token({ nbf: seconds + 50, iat: seconds + 50 }))).toMatchObject({ ok: true });
		expect(await verify(await token({ nbf: undefined, iat: undefined }))).toMatchObject({ ok: true });
	});

	it("a token signed by the previous key while both are published", async () => {
		const { verify, token } = setup([otherKey, key]);
		expect(await verify(await token({}, key))).toMatchObject({ ok: true });
		expect(await verify(await token({}, otherKey))).toMatchObject({ ok: true });
	});

	it("with the current time when none is given", async () => {
		const config = accessTeam();
		const certs = fakeCerts(config, [key]);
		const jwt = await signAccessJwt(key, accessClaims(config, EMAIL));
		expect(await verifyAccessJwt(jwt, config, { fetch: certs.fetch })).toEqual({ ok: true, email: EMAIL });
	});
});

describe("verifyAccessJwt refuses", () => {
	it("an expired token", async () => {
		const { verify, token } = setup();
		const seconds = NOW / 1000;
		const jwt = await token({ iat: seconds - 1200, nbf: seconds - 1200, exp: seconds - 1 });
		expect(await verify(jwt)).toEqual({ ok: false, reason: "expired" });
		// The very same token was fine while it lasted: only the time made it fail.
		expect(await verify(jwt, NOW - 10 * MINUTE)).toMatchObject({ ok: true });
	});

	it("a token with no expiry", async () => {
		const { verify, token } = setup();
		expect(await verify(await token({ exp: undefined }))).toEqual({ ok: false, reason: "no expiry" });
		expect(await verify(await token({ exp: "tomorrow" }))).toEqual({ ok: false, reason: "no expiry" });
	});

	it("a token that is not valid yet, or issued in the future", async () => {
		const { verify, token } = setup();
		const seconds = NOW / 1000;
		expect(await verify(await token({ nbf: seconds + 300, exp: seconds + 900 }))).toEqual({
			ok: false,
			reason: "not yet valid",
		});
		expect(await verify(await token({ iat: seconds + 300, exp: seconds + 900 }))).toEqual({
			ok: false,
			reason: "issued in the future",
		});
	});

	it("a token for another application", async () => {
		const { verify, token } = setup();
		expect(await verify(await token({ aud: ["another-app"] }))).toEqual({ ok: false, reason: "wrong audience" });
		expect(await verify(await token({ aud: undefined }))).toEqual({ ok: false, reason: "wrong audience" });
	});

	it("a token from another team", async () => {
		const { verify, token } = setup();
		expect(await verify(await token({ iss: "https://evil.cloudflareaccess.com" }))).toEqual({
			ok: false,
			reason: "wrong issuer",
		});
		expect(await verify(await token({ iss: undefined }))).toEqual({ ok: false, reason: "wrong issuer" });
	});

	it("a token signed by another key under a published kid", async () => {
		const { verify, config } = setup();
		const forged = await signAccessJwt({ ...otherKey, kid: key.kid }, accessClaims(config, EMAIL, {}, NOW));
		expect(await verify(forged)).toEqual({ ok: false, reason: "bad signature" });
	});

	it("a token whose claims were changed after signing", async () => {
		const { verify, token, config } = setup();
		const [header, , signature] = (await token()).split(".");
		const payload = base64Url(JSON.stringify(accessClaims(config, "mallory@evil.test", {}, NOW)));
		expect(await verify(`${header}.${payload}.${signature}`)).toEqual({ ok: false, reason: "bad signature" });
	});

	it("a token naming a key the team does not publish", async () => {
		const { verify, token } = setup();
		expect(await verify(await token({}, otherKey))).toEqual({ ok: false, reason: "unknown signing key" });
	});

	it("alg none, HMAC and anything but RS256, whatever the signature", async () => {
		const { verify, token, config } = setup();
		const claims = base64Url(JSON.stringify(accessClaims(config, EMAIL, {}, NOW)));
		const none = `${base64Url(JSON.stringify({ alg: "none", kid: key.kid }))}.${claims}.`;
		expect(await verify(none)).toMatchObject({ ok: false });
		const noneSigned = `${base64Url(JSON.stringify({ alg: "none", kid: key.kid }))}.${claims}.c2ln`;
		expect(await verify(noneSigned)).toEqual({ ok: false, reason: "unsupported algorithm" });

		// HS256 keyed with the public key: the classic confusion attack.
		const hmacKey = await crypto.subtle.importKey(
			"raw",
			new TextEncoder().encode(JSON.stringify(key.publicJwk)),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		const hsInput = `${base64Url(JSON.stringify({ alg: "HS256", kid: key.kid }))}.${claims}`;
		const hsSig = await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(hsInput));
		expect(await verify(`${hsInput}.${base64Url(new Uint8Array(hsSig))}`)).toEqual({
			ok: false,
			reason: "unsupported algorithm",
		});
		expect(await verify(await token({}, key, { alg: "RS512" }))).toEqual({
			ok: false,
			reason: "unsupported algorithm",
		});
		expect(await verify(await token({}, key, { alg: undefined }))).toEqual({
			ok: false,
			reason: "unsupported algorithm",
		});
	});

	it("a token with no kid or an unknown critical header", async () => {
		const { verify, token } = setup();
		expect(await verify(await token({}, key, { kid: undefined }))).toEqual({ ok: false, reason: "no key id" });
		expect(await verify(await token({}, key, { crit: ["exp"] }))).toEqual({
			ok: false,
			reason: "unsupported critical header",
		});
	});

	it("a token without an email (a service token)", async () => {
		const { verify, token } = setup();
		expect(await verify(await token({ email: undefined, common_name: "ci.access" }))).toEqual({
			ok: false,
			reason: "no email",
		});
		expect(await verify(await token({ email: "" }))).toEqual({ ok: false, reason: "no email" });
	});

	it.each([
		["empty", ""],
		["one part", "abc"],
		["two parts", "abc.def"],
		["four parts", "a.b.c.d"],
		["not base64url", "e30=.e30.c2ln"],
		["header not JSON", `${base64Url("not json")}.${base64Url("{}")}.c2ln`],
		["payload an array", `${base64Url('{"alg":"RS256","kid":"k"}')}.${base64Url("[1]")}.c2ln`],
		["payload null", `${base64Url('{"alg":"RS256","kid":"k"}')}.${base64Url("null")}.c2ln`],
		["no signature", `${base64Url('{"alg":"RS256","kid":"k"}')}.${base64Url("{}")}.`],
		["bad UTF-8", `${base64Url(new Uint8Array([0xff, 0xfe]))}.${base64Url("{}")}.c2ln`],
	])("a malformed token (%s) without throwing", async (_, jwt) => {
		const { verify, certs } = setup();
		expect(await verify(jwt)).toEqual({ ok: false, reason: "malformed token" });
		expect(certs.requests).toEqual([]);
	});

	it("a non-string token without throwing", async () => {
		const { config, certs } = setup();
		const result = await verifyAccessJwt(undefined as unknown as string, config, { now: NOW, fetch: certs.fetch });
		expect(result).toEqual({ ok: false, reason: "malformed token" });
	});
});

describe("verifyAccessJwt keys", () => {
	it("fetches the keys once for many verifications", async () => {
		const { verify, token, certs } = setup();
		for (let i = 0; i < 3; i++) expect(await verify(await token(), NOW + i * MINUTE)).toMatchObject({ ok: true });
		expect(certs.requests).toHaveLength(1);
	});

	it("shares one fetch between verifications that arrive together on a cold cache", async () => {
		const { verify, token, certs } = setup();
		const jwt = await token();
		const results = await Promise.all([verify(jwt), verify(jwt), verify(jwt)]);
		expect(results).toEqual([0, 1, 2].map(() => ({ ok: true, email: EMAIL })));
		expect(certs.requests).toHaveLength(1);
	});

	it("does not wait on a fetch whose request never finished (cancelled)", async () => {
		const config = accessTeam();
		const certs = fakeCerts(config, [key]);
		let calls = 0;
		const fetchImpl: typeof fetch = (input, init) => {
			calls += 1;
			return calls === 1 ? new Promise<Response>(() => {}) : certs.fetch(input, init);
		};
		const jwt = await signAccessJwt(key, accessClaims(config, EMAIL, {}, NOW));
		void verifyAccessJwt(jwt, config, { now: NOW, fetch: fetchImpl });
		await new Promise((resolve) => setTimeout(resolve, 0));
		// Some seconds on, past any fetch's own timeout: the next verification fetches for itself.
		const clock = vi.spyOn(Date, "now").mockReturnValue(Date.now() + 10_000);
		try {
			const result = await verifyAccessJwt(jwt, config, { now: NOW + 2 * MINUTE, fetch: fetchImpl });
			expect(result).toEqual({ ok: true, email: EMAIL });
		} finally {
			clock.mockRestore();
		}
		expect(calls).toBe(2);
	});

	it("fetches them again after an hour", async () => {
		const { verify, token, certs } = setup();
		const jwt = await token({ exp: NOW / 1000 + 7200 });
		await verify(jwt);
		await verify(jwt, NOW + 59 * MINUTE);
		expect(certs.requests).toHaveLength(1);
		expect(await verify(jwt, NOW + 61 * MINUTE)).toMatchObject({ ok: true });
		expect(certs.requests).toHaveLength(2);
	});

	it("refetches for an unknown kid at most once a minute", async () => {
		const { verify, token, certs } = setup();
		expect(await verify(await token())).toMatchObject({ ok: true });
		const stranger = await token({}, otherKey);
		expect(await verify(stranger, NOW + 2 * MINUTE)).toEqual({ ok: false, reason: "unknown signing key" });
		expect(certs.requests).toHaveLength(2);
		for (let i = 0; i < 5; i++) await verify(stranger, NOW + 2 * MINUTE + i * 1000);
		expect(certs.requests).toHaveLength(2);
		// Known keys keep working meanwhile, without a fetch.
		expect(await verify(await token(), NOW + 2 * MINUTE + 10_000)).toMatchObject({ ok: true });
		expect(certs.requests).toHaveLength(2);
		await verify(stranger, NOW + 3 * MINUTE + 1000);
		expect(certs.requests).toHaveLength(3);
	});

	it("picks up a rotated key on the first token that names it", async () => {
		const keys = [key];
		const { verify, token, certs } = setup(keys);
		expect(await verify(await token())).toMatchObject({ ok: true });
		keys.unshift(otherKey);
		expect(await verify(await token({}, otherKey), NOW + 2 * MINUTE)).toMatchObject({ ok: true });
		expect(certs.requests).toHaveLength(2);
	});

	it("answers ok:false, without throwing, when the keys cannot be fetched", async () => {
		const config = accessTeam();
		const jwt = await signAccessJwt(key, accessClaims(config, EMAIL, {}, NOW));
		const fetches: Array<typeof fetch> = [
			async () => {
				throw new TypeError("network down");
			},
			async () => new Response("oops", { status: 500 }),
			async () => new Response("<html>", { status: 200 }),
			async () => Response.json({ keys: "none" }),
			async () => Response.json({ keys: [{ kty: "EC", kid: key.kid, crv: "P-256", x: "AA", y: "AA" }] }),
			async () => Response.json({ keys: [{ ...key.publicJwk, n: "not-a-modulus!" }] }),
		];
		for (const [i, fetch] of fetches.entries()) {
			const result = await verifyAccessJwt(jwt, config, { now: NOW + i * 2 * MINUTE, fetch });
			expect(result, `fetch #${i}`).toEqual({ ok: false, reason: "signing keys unavailable" });
		}
	});

	it("keeps the keys it has when a later fetch fails", async () => {
		const config = accessTeam();
		const certs = fakeCerts(config, [key]);
		let down = false;
		const fetch: typeof globalThis.fetch = (input, init) =>
			down ? Promise.resolve(new Response("down", { status: 503 })) : certs.fetch(input, init);
		const jwt = await signAccessJwt(key, accessClaims(config, EMAIL, { exp: NOW / 1000 + 7200 }, NOW));
		expect(await verifyAccessJwt(jwt, config, { now: NOW, fetch })).toMatchObject({ ok: true });
		down = true;
		expect(await verifyAccessJwt(jwt, config, { now: NOW + 61 * MINUTE, fetch })).toMatchObject({ ok: true });
	});

	it("ignores keys published for other algorithms or uses", async () => {
		for (const change of [{ alg: "RS512" }, { use: "enc" }]) {
			const config = accessTeam();
			const jwt = await signAccessJwt(key, accessClaims(config, EMAIL, {}, NOW));
			const fetch: typeof globalThis.fetch = async () => Response.json({ keys: [{ ...key.publicJwk, ...change }] });
			expect(await verifyAccessJwt(jwt, config, { now: NOW, fetch }), JSON.stringify(change)).toEqual({
				ok: false,
				reason: "signing keys unavailable",
			});
		}
	});
});
