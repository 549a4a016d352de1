import { base64ToUrl, bytesToBase64, sha256 } from "./encoding";

// Secrets handed to a client (session cookies, API tokens): 256 random bits, stored only as a
// SHA-256 hash. A fast hash is right here: the token is random, so there is nothing to brute-force.

export function newToken(prefix = ""): string {
	return prefix + base64ToUrl(bytesToBase64(crypto.getRandomValues(new Uint8Array(32))));
}

/** The form a token is stored and looked up in: hex SHA-256 of its text. */
export async function hashToken(token: string): Promise<string> {
	const digest = await sha256(new TextEncoder().encode(token));
	let hex = "";
	for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
	return hex;
}
