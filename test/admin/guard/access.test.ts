import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as schema from "../../../src/db/schema";
import type { AccessConfig } from "../../../src/lib/access-jwt";
import { fetchApp, freshTaxa, testDb } from "../../helpers";
import {
	type AccessKey,
	accessClaims,
	accessTeam,
	base64Url,
	fakeCerts,
	makeAccessKey,
	signAccessJwt,
} from "../access-helpers";
import { type AdminAuthHeaders, adminFetch, bearerToken, createEditor, expectPrivate, sessionCookie } from "../helpers";

// Cloudflare Access in front of the whole admin, through the real app and its real screens: the
// team's certs endpoint is served by a stubbed global fetch (what the guard calls), with keys made
// here. The guard's own decisions are tested on a probe app in guard.test.ts.

let key: AccessKey;
let strangerKey: AccessKey;

beforeAll(async () => {
	key = await makeAccessKey();
	strangerKey = await makeAccessKey();
});

beforeEach(async () => {
	await freshTaxa();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** A team of its own (so no cached keys are shared), its certs served, and bindings that turn Access on. */
function accessOn(options: { domainStyle?: "bare" | "url" } = {}) {
	const team = accessTeam();
	const certs = fakeCerts(team, [key]);
	const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(certs.fetch);
	const bindings: Env = {
		...env,
		ACCESS_TEAM_DOMAIN: options.domainStyle === "url" ? `https://${team.teamDomain}/` : team.teamDomain,
		ACCESS_AUD: team.aud,
	};
	const jwt = (email: string, overrides: Record<string, unknown> = {}, signer: AccessKey = key) =>
		signAccessJwt(signer, accessClaims(team, email, overrides));
	return { team, certs, fetchSpy, bindings, jwt };
}

/** adminFetch with the Access assertion header added to the credentials. */
function withAccess(auth: AdminAuthHeaders | Record<string, never>, assertion: string | null) {
	return (assertion === null ? auth : { ...auth, "cf-access-jwt-assertion": assertion }) as AdminAuthHeaders;
}

async function expectRefusedHtml(res: Response) {
	expect(res.status).toBe(403);
	expect(res.headers.get("content-type")).toMatch(/^text\/html/);
	expectPrivate(res);
	expect(await res.text()).toContain("Cloudflare Access");
}

async function expectRefusedJson(res: Response) {
	expect(res.status).toBe(403);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	expectPrivate(res);
	const body = (await res.json()) as { error: { code: string; message: string } };
	expect(body.error.code).toBe("forbidden");
	expect(body.error.message).toContain("Cloudflare Access");
}

describe("Access not configured", () => {
	it("asks for no assertion: a session is enough", async () => {
		expect(env.ACCESS_TEAM_DOMAIN).toBe("");
		const fetchSpy = vi.spyOn(globalThis, "fetch");
		const cookie = await sessionCookie(await createEditor());
		const page = await adminFetch("/admin", { cookie });
		expect(page.status).toBe(200);
		expectPrivate(page);
		const api = await adminFetch("/api/admin/articles", { cookie });
		expect(api.status).toBe(200);
		expect(fetchSpy).not.toHaveBeenCalled();
	});

	it("closes the admin (403) when only one of the two settings is given, rather than failing open", async () => {
		const cookie = await sessionCookie(await createEditor());
		for (const half of [{ ACCESS_TEAM_DOMAIN: "team.cloudflareaccess.com" }, { ACCESS_AUD: "abc" }]) {
			const res = await adminFetch("/admin", { cookie }, {}, { ...env, ...half });
			expect(res.status).toBe(403);
			expect(await res.text()).toContain("Cloudflare Access settings are incomplete");
			const api = await adminFetch("/api/admin/articles", { cookie }, {}, { ...env, ...half });
			expect(api.status).toBe(403);
			expect(await api.json()).toMatchObject({ error: { code: "forbidden" } });
		}
	});
});

describe("Access configured", () => {
	it("lets an editor in with a valid assertion and their session, on the screens and the API", async () => {
		const { bindings, jwt, certs } = accessOn();
		const editor = await createEditor({ email: "ines@samarium.test" });
		const auth = withAccess({ cookie: await sessionCookie(editor) }, await jwt("Ines@Samarium.test"));

		const page = await adminFetch("/admin", auth, {}, bindings);
		expect(page.status).toBe(200);
		expect(page.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(page);
		expect(await page.text()).toContain(editor.name);

		const api = await adminFetch("/api/admin/articles", auth, {}, bindings);
		expect(api.status).toBe(200);
		expectPrivate(api);
		expect(await api.json()).toMatchObject({ articles: [] });

		// The team's keys were fetched once, from its certs address, and then served from the cache.
		expect(certs.requests).toEqual([certs.certsUrl]);
	});

	it("takes the team domain as a URL too", async () => {
		const { bindings, jwt, certs } = accessOn({ domainStyle: "url" });
		const editor = await createEditor();
		const auth = withAccess({ cookie: await sessionCookie(editor) }, await jwt(editor.email));
		expect((await adminFetch("/admin", auth, {}, bindings)).status).toBe(200);
		expect(certs.requests).toEqual([certs.certsUrl]);
	});

	it("lets a signed-in editor's form post through (signing out)", async () => {
		const { bindings, jwt } = accessOn();
		const editor = await createEditor();
		const auth = withAccess({ cookie: await sessionCookie(editor) }, await jwt(editor.email));
		const res = await adminFetch("/admin/logout", auth, { form: {} }, bindings);
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/login?signed-out=1");
		const sessions = await testDb().select().from(schema.sessions).where(eq(schema.sessions.editorId, editor.id));
		expect(sessions).toEqual([]);
	});

	it("refuses a request without the assertion, even with a valid session", async () => {
		const { bindings } = accessOn();
		const cookie = await sessionCookie(await createEditor());
		await expectRefusedHtml(await adminFetch("/admin", { cookie }, {}, bindings));
		await expectRefusedJson(await adminFetch("/api/admin/articles", { cookie }, {}, bindings));
		await expectRefusedHtml(await adminFetch("/admin/login", withAccess({}, null), {}, bindings));
	});

	it("refuses an expired assertion, one for another audience, from another team, or badly signed", async () => {
		const { bindings, jwt, team } = accessOn();
		const editor = await createEditor();
		const cookie = await sessionCookie(editor);
		const seconds = Math.floor(Date.now() / 1000);
		const otherTeam: AccessConfig = accessTeam();
		const [header, payload] = (await jwt(editor.email)).split(".");
		const forged = await signAccessJwt({ ...strangerKey, kid: key.kid }, accessClaims(team, editor.email));
		const refused = {
			expired: await jwt(editor.email, { exp: seconds - 30, iat: seconds - 900, nbf: seconds - 900 }),
			"wrong audience": await jwt(editor.email, { aud: ["another-application"] }),
			"wrong issuer": await jwt(editor.email, { iss: `https://${otherTeam.teamDomain}` }),
			"bad signature": forged,
			"unknown key": await jwt(editor.email, {}, strangerKey),
			"alg none": `${base64Url(JSON.stringify({ alg: "none", kid: key.kid }))}.${payload}.`,
			"signature stripped": `${header}.${payload}.`,
			garbage: "not-a-jwt",
		};
		for (const [why, assertion] of Object.entries(refused)) {
			const auth = withAccess({ cookie }, assertion);
			const page = await adminFetch("/admin", auth, {}, bindings);
			expect(page.status, why).toBe(403);
			await expectRefusedHtml(page);
			await expectRefusedJson(await adminFetch("/api/admin/articles", auth, {}, bindings));
		}
	});

	it("refuses a valid assertion for someone who is not an editor", async () => {
		const { bindings, jwt } = accessOn();
		const editor = await createEditor();
		const stranger = await jwt("stranger@samarium.test");
		// With an editor's session (not theirs), with an editor's API token, and with nothing else.
		await expectRefusedHtml(
			await adminFetch("/admin", withAccess({ cookie: await sessionCookie(editor) }, stranger), {}, bindings),
		);
		await expectRefusedJson(
			await adminFetch(
				"/api/admin/articles",
				withAccess({ authorization: await bearerToken(editor) }, stranger),
				{},
				bindings,
			),
		);
		await expectRefusedHtml(await adminFetch("/admin/login", withAccess({}, stranger), {}, bindings));
	});

	it("asks an API token's requests for the assertion of the token's editor", async () => {
		const { bindings, jwt } = accessOn();
		const editor = await createEditor();
		const authorization = await bearerToken(editor);
		const ok = await adminFetch(
			"/api/admin/articles",
			withAccess({ authorization }, await jwt(editor.email)),
			{},
			bindings,
		);
		expect(ok.status).toBe(200);
		await expectRefusedJson(await adminFetch("/api/admin/articles", { authorization }, {}, bindings));
		// Another editor's Access sign-in does not lend its identity to this token, nor the reverse.
		const other = await createEditor({ role: "admin" });
		const borrowed = await adminFetch(
			"/api/admin/articles",
			withAccess({ authorization }, await jwt(other.email)),
			{},
			bindings,
		);
		await expectRefusedJson(borrowed);
	});

	it("refuses, without a 500, when the team's keys cannot be fetched", async () => {
		const { bindings, jwt, fetchSpy } = accessOn();
		fetchSpy.mockImplementation(async () => new Response("unavailable", { status: 503 }));
		const editor = await createEditor();
		const auth = withAccess({ cookie: await sessionCookie(editor) }, await jwt(editor.email));
		await expectRefusedHtml(await adminFetch("/admin", auth, {}, bindings));
		expect(fetchSpy).toHaveBeenCalledTimes(1);
	});

	it("leaves the public site alone", async () => {
		const { bindings, fetchSpy } = accessOn();
		const res = await fetchApp("/", {}, bindings);
		expect(res.status).toBe(200);
		expect(fetchSpy).not.toHaveBeenCalled();
	});
});
