// Cloudflare Access in front of the admin: every request Access lets through carries a signed
// application token in `Cf-Access-Jwt-Assertion`. Checking it here means a request that reaches
// the Worker some other way (workers.dev, a second route) is still refused.
// https://developers.cloudflare.com/cloudflare-one/access-controls/applications/http-apps/authorization-cookie/validating-json/
// Not jose (tried 6.2.19): jwtVerify and importJWK alone add ~7 KiB gzip, past the Worker's
// 150 KiB budget; and createRemoteJWKSet times its cache by the wall clock and fetches once per
// request on Workers, where the key cache below keeps one shared fetch, a minute between
// refetches, the keys it has through a failed refetch, and its own reasons.

import { base64UrlToBytes } from "./encoding";
import { pollUntil } from "./poll";

export type AccessConfig = { teamDomain: string; aud: string };

export type AccessVerification = { ok: true; email: string } | { ok: false; reason: string };

export type VerifyAccessOptions = {
	/** Milliseconds since the epoch; defaults to Date.now(). */
	now?: number;
	/** Defaults to globalThis.fetch; tests pass one that serves their own keys. */
	fetch?: typeof fetch;
};

// Access signs with a key pair unique to the account and rotates it every six weeks, publishing
// the next key before it is used; an hour's cache sees a rotation long before it matters.
const KEYS_TTL_MS = 60 * 60 * 1000;
// An unknown `kid` triggers a refetch, but no more than once a minute, so that tokens naming
// made-up keys cannot be turned into a flood of requests to Cloudflare.
const REFETCH_MIN_MS = 60 * 1000;
const FETCH_TIMEOUT_MS = 5_000;
/** How often a request waiting for another request's fetch of the keys looks at it. */
const FETCH_POLL_MS = 5;
// Clocks at the edge and at Access differ by little; this much is forgiven on `nbf` and `iat`.
const CLOCK_SKEW_S = 60;

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** "team.cloudflareaccess.com" whether it was configured with a scheme or a trailing slash or not. */
function normalizeTeamDomain(value: string): string {
	return value
		.trim()
		.replace(/^https?:\/\//i, "")
		.replace(/\/+$/, "")
		.toLowerCase();
}

/**
 * Whether Access guards the admin. Exactly one of the two variables set is a mistake in the
 * deployment, and is reported as such rather than read as "off": failing open would quietly drop
 * the protection someone meant to add.
 */
export type AccessSetting = { state: "off" } | { state: "incomplete" } | { state: "on"; config: AccessConfig };

export function accessSetting(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): AccessSetting {
	const teamDomain = normalizeTeamDomain(env.ACCESS_TEAM_DOMAIN ?? "");
	const aud = (env.ACCESS_AUD ?? "").trim();
	if (teamDomain === "" && aud === "") return { state: "off" };
	if (teamDomain === "" || aud === "") return { state: "incomplete" };
	return { state: "on", config: { teamDomain, aud } };
}

// ---- keys ----

type KeyCache = {
	keys: Map<string, CryptoKey> | null;
	fetchedAt: number;
	lastAttemptAt: number;
	/**
	 * When the fetch under way began (wall clock), or null: requests arriving meanwhile wait for it
	 * rather than start their own. One whose request was cancelled stops counting after FETCH_WAIT_MS.
	 */
	fetchStartedAt: number | null;
};

const FETCH_WAIT_MS = FETCH_TIMEOUT_MS + 1000;
const fetchUnderWay = (cache: KeyCache) =>
	cache.fetchStartedAt !== null && Date.now() - cache.fetchStartedAt < FETCH_WAIT_MS;

/** Per isolate, by team domain. CryptoKeys are not tied to a request, so sharing them is safe. */
const keyCaches = new Map<string, KeyCache>();

type RsaJwk = { kty?: unknown; kid?: unknown; n?: unknown; e?: unknown; alg?: unknown; use?: unknown };

async function importJwk(jwk: RsaJwk): Promise<[string, CryptoKey] | null> {
	if (jwk.kty !== "RSA" || typeof jwk.kid !== "string" || typeof jwk.n !== "string" || typeof jwk.e !== "string") {
		return null;
	}
	if (jwk.alg !== undefined && jwk.alg !== "RS256") return null;
	if (jwk.use !== undefined && jwk.use !== "sig") return null;
	try {
		const key = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e }, ALGORITHM, false, ["verify"]);
		return [jwk.kid, key];
	} catch {
		return null;
	}
}

/** The team's signing keys by `kid`, or null when they could not be had. */
async function fetchKeys(teamDomain: string, fetchImpl: typeof fetch): Promise<Map<string, CryptoKey> | null> {
	try {
		const res = await fetchImpl(`https://${teamDomain}/cdn-cgi/access/certs`, {
			headers: { accept: "application/json" },
			signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
		});
		if (!res.ok) return null;
		const body = (await res.json()) as { keys?: unknown };
		if (!Array.isArray(body?.keys)) return null;
		const imported = await Promise.all(body.keys.map((jwk: RsaJwk) => importJwk(jwk ?? {})));
		const keys = new Map(imported.filter((entry) => entry !== null));
		return keys.size > 0 ? keys : null;
	} catch {
		return null;
	}
}

async function signingKey(
	teamDomain: string,
	kid: string,
	now: number,
	fetchImpl: typeof fetch,
): Promise<CryptoKey | { reason: string }> {
	const cache: KeyCache = keyCaches.get(teamDomain) ?? {
		keys: null,
		fetchedAt: 0,
		lastAttemptAt: Number.NEGATIVE_INFINITY,
		fetchStartedAt: null,
	};
	keyCaches.set(teamDomain, cache);
	const fresh = now - cache.fetchedAt < KEYS_TTL_MS;
	if (!(fresh && cache.keys?.has(kid))) {
		const mayFetch = now - cache.lastAttemptAt >= REFETCH_MIN_MS || now < cache.lastAttemptAt;
		if (fetchUnderWay(cache)) {
			// Another request's fetch: watched on this request's own timer, not awaited (see pollUntil).
			// A key already held (only past its hour) serves meanwhile.
			if (!cache.keys?.has(kid)) await pollUntil(() => !fetchUnderWay(cache), FETCH_POLL_MS, FETCH_WAIT_MS);
		} else if (mayFetch) {
			cache.lastAttemptAt = now;
			const started = Date.now();
			cache.fetchStartedAt = started;
			try {
				const keys = await fetchKeys(teamDomain, fetchImpl);
				// A failed fetch keeps the keys already known: an outage at the certs endpoint should
				// not lock editors out while the key that signed their token is still one we hold.
				if (keys) {
					cache.keys = keys;
					cache.fetchedAt = now;
				}
			} finally {
				if (cache.fetchStartedAt === started) cache.fetchStartedAt = null;
			}
		}
	}
	const key = cache.keys?.get(kid);
	if (key) return key;
	return { reason: cache.keys ? "unknown signing key" : "signing keys unavailable" };
}

// ---- tokens ----

function decodeJsonObject(segment: string): Record<string, unknown> | null {
	const bytes = base64UrlToBytes(segment);
	if (!bytes) return null;
	try {
		const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
		return value !== null && typeof value === "object" && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** Why the claims of a correctly signed token are not acceptable now, or null when they are. */
function claimsProblem(claims: Record<string, unknown>, config: AccessConfig, nowSeconds: number): string | null {
	if (claims.iss !== `https://${config.teamDomain}`) return "wrong issuer";
	const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
	if (!audiences.includes(config.aud)) return "wrong audience";
	if (!isNumber(claims.exp)) return "no expiry";
	if (claims.exp <= nowSeconds) return "expired";
	if (claims.nbf !== undefined && (!isNumber(claims.nbf) || claims.nbf > nowSeconds + CLOCK_SKEW_S)) {
		return "not yet valid";
	}
	if (claims.iat !== undefined && (!isNumber(claims.iat) || claims.iat > nowSeconds + CLOCK_SKEW_S)) {
		return "issued in the future";
	}
	// Service tokens carry no email; only people sign in to the admin.
	if (typeof claims.email !== "string" || !claims.email.includes("@")) return "no email";
	return null;
}

/**
 * Checks an Access application token: RS256 only, signed by one of the team's published keys,
 * for this application's audience, from this team, and current. Never throws: anything wrong,
 * including keys that cannot be fetched, is `{ ok: false }` with a reason for the log.
 */
export async function verifyAccessJwt(
	token: string,
	config: AccessConfig,
	options: VerifyAccessOptions = {},
): Promise<AccessVerification> {
	const now = options.now ?? Date.now();
	const fail = (reason: string): AccessVerification => ({ ok: false, reason });
	try {
		if (typeof token !== "string") return fail("malformed token");
		const parts = token.trim().split(".");
		if (parts.length !== 3) return fail("malformed token");
		const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
		const header = decodeJsonObject(headerPart);
		const claims = decodeJsonObject(payloadPart);
		const signature = base64UrlToBytes(signaturePart);
		if (!header || !claims || !signature || signature.length === 0) return fail("malformed token");

		// The algorithm is fixed, never taken from the token: "none" and HMAC (signed with the
		// public key as a secret) are the classic forgeries.
		if (header.alg !== "RS256") return fail("unsupported algorithm");
		if (header.crit !== undefined) return fail("unsupported critical header");
		if (typeof header.kid !== "string" || header.kid === "") return fail("no key id");

		// Calling it through a plain variable: workerd's fetch throws "Illegal invocation" when
		// `this` is another object.
		const fetchImpl = options.fetch ?? globalThis.fetch;
		const key = await signingKey(config.teamDomain, header.kid, now, fetchImpl);
		if (!(key instanceof CryptoKey)) return fail(key.reason);

		const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
		const valid = await crypto.subtle.verify(ALGORITHM, key, signature as BufferSource, signed);
		if (!valid) return fail("bad signature");

		const problem = claimsProblem(claims, config, Math.floor(now / 1000));
		if (problem) return fail(problem);
		return { ok: true, email: (claims.email as string).trim() };
	} catch {
		return fail("could not be verified");
	}
}
