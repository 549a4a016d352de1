import type { AccessConfig } from "../../src/lib/access-jwt";
import { base64ToUrl, bytesToBase64 } from "../../src/lib/encoding";

// Cloudflare Access for tests: RSA key pairs made here, application tokens signed with them, and
// a fake certs endpoint that publishes the public halves the way Access does.

export type AccessKey = { kid: string; privateKey: CryptoKey; publicJwk: JsonWebKey & { kid: string } };

const RSA = {
	name: "RSASSA-PKCS1-v1_5",
	modulusLength: 2048,
	publicExponent: new Uint8Array([1, 0, 1]),
	hash: "SHA-256",
} as const;

let keyCounter = 0;

export async function makeAccessKey(kid = `test-key-${++keyCounter}`): Promise<AccessKey> {
	const pair = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
	const exported = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
	// The shape Access publishes: kid, kty, alg, use, e, n.
	const publicJwk = { kid, kty: "RSA", alg: "RS256", use: "sig", e: exported.e, n: exported.n };
	return { kid, privateKey: pair.privateKey, publicJwk };
}

let teamCounter = 0;

/**
 * Access settings with a team domain of their own: keys are cached per isolate by team domain,
 * so a test that uses these shares no cached keys with any other test.
 */
export function accessTeam(): AccessConfig {
	teamCounter += 1;
	return {
		teamDomain: `team-${teamCounter}-${Date.now()}.cloudflareaccess.com`,
		aud: `aud-${teamCounter}-0123456789abcdef`,
	};
}

export function base64Url(data: string | Uint8Array): string {
	return base64ToUrl(bytesToBase64(typeof data === "string" ? new TextEncoder().encode(data) : data));
}

/** Claims as Access issues them for a person signed in through an identity provider, valid for 10 minutes. */
export function accessClaims(
	config: AccessConfig,
	email: string,
	overrides: Record<string, unknown> = {},
	now = Date.now(),
): Record<string, unknown> {
	const seconds = Math.floor(now / 1000);
	return {
		aud: [config.aud],
		email,
		exp: seconds + 600,
		iat: seconds,
		nbf: seconds,
		iss: `https://${config.teamDomain}`,
		type: "app",
		identity_nonce: "6ei69kawdKzMIAPF",
		sub: "7335d417-61da-459d-899c-0a01c76a2f94",
		country: "NZ",
		...overrides,
	};
}

/** A compact JWS signed with `key` (RS256); `header` overrides the usual alg/kid/typ. */
export async function signAccessJwt(
	key: AccessKey,
	claims: Record<string, unknown>,
	header: Record<string, unknown> = {},
): Promise<string> {
	const signingInput = `${base64Url(JSON.stringify({ alg: "RS256", kid: key.kid, typ: "JWT", ...header }))}.${base64Url(JSON.stringify(claims))}`;
	const signature = await crypto.subtle.sign(
		"RSASSA-PKCS1-v1_5",
		key.privateKey,
		new TextEncoder().encode(signingInput),
	);
	return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}

/**
 * A fetch that serves `https://<team>/cdn-cgi/access/certs` from `keys` (change the array to
 * rotate) and records every URL asked for; anything else is a 404.
 */
export function fakeCerts(config: AccessConfig, keys: AccessKey[]) {
	const requests: string[] = [];
	const certsUrl = `https://${config.teamDomain}/cdn-cgi/access/certs`;
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const url = new Request(input, init).url;
		requests.push(url);
		if (url !== certsUrl) return new Response("not found", { status: 404 });
		return Response.json({
			keys: keys.map((k) => k.publicJwk),
			public_cert: { kid: keys[0]?.kid, cert: "-----BEGIN CERTIFICATE-----\n…" },
			public_certs: keys.map((k) => ({ kid: k.kid, cert: "-----BEGIN CERTIFICATE-----\n…" })),
		});
	};
	return { fetch, requests, certsUrl };
}
