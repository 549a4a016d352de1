// Editor passwords: PBKDF2-SHA256 through WebCrypto, a random salt per password, and the
// iteration count stored with the hash so that it can be raised later without locking anyone out.
// This module imports nothing from the project so that Node scripts (the editor CLI) can load it.

/** The most PBKDF2 iterations the Workers runtime allows (it refuses more). */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const SCHEME = "pbkdf2-sha256";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

function toBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
	try {
		return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
	} catch {
		return null;
	}
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
		key,
		HASH_BITS,
	);
	return new Uint8Array(bits);
}

/** The stored form: `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
	const hash = await derive(password, salt, iterations);
	return [SCHEME, iterations, toBase64(salt), toBase64(hash)].join("$");
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, iterationsText, saltText, hashText, ...rest] = stored.split("$");
	const iterations = Number(iterationsText);
	if (scheme !== SCHEME || rest.length > 0 || !Number.isInteger(iterations)) return false;
	if (iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
	const salt = fromBase64(saltText ?? "");
	const expected = fromBase64(hashText ?? "");
	if (!salt || !expected || expected.length * 8 !== HASH_BITS) return false;
	const actual = await derive(password, salt, iterations);
	let diff = 0;
	for (let i = 0; i < actual.length; i++) diff |= (actual[i] ?? 0) ^ (expected[i] ?? 0);
	return diff === 0;
}

// Checked against a fixed hash when the email is unknown, so that an unknown address costs the
// same PBKDF2 work as a wrong password and the two cannot be told apart by timing.
let dummy: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummy ??= hashPassword("samarium-no-such-editor");
	return dummy;
}

const COMMON = new Set([
	"password1234",
	"123456789012",
	"qwertyuiopas",
	"passwordpassword",
	"letmeinletmein",
	"administrator",
	"samariumsamarium",
	"correcthorsebatterystaple",
]);

/** Why a new password is too weak, or null when it will do. */
export function passwordProblem(password: string, email = ""): string | null {
	if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
	if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
	if (new Set(password).size < 5) return "Use more different characters.";
	const lower = password.toLowerCase();
	if (COMMON.has(lower)) return "That password is too common.";
	const local = email.toLowerCase().split("@")[0] ?? "";
	if (local.length >= 4 && lower.includes(local)) return "Do not build the password from the email address.";
	if (/^(?:0123456789|1234567890|abcdefghij|qwertyuiop)/.test(lower)) return "Do not use a keyboard or number run.";
	return null;
}
