import { base64ToUrl, base64UrlToBytes, bytesToBase64 } from "./encoding";

// The value of a device cookie (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"):
// proof that a browser has signed in as an editor before, so that a lock an attacker put on that
// editor's email does not keep the editor out (src/admin/services/sign-in.ts). It names the editor,
// when it was issued and a random nonce (the device's own failure counter), signed with
// HMAC-SHA256 under a key the caller supplies: the editor's stored password hash, so that a new
// password revokes every device cookie of that editor, and no new secret has to be configured.

const DAY = 86_400_000;
/** How long a browser stays known without signing in again; every sign-in issues a fresh cookie. */
export const DEVICE_MAX_AGE_MS = 180 * DAY;
/** A cookie issued by an isolate whose clock is a little ahead is still good. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Separates these signatures from any other use of the same key. */
const PURPOSE = "samarium device cookie v1";
const FORMAT = /^([1-9][0-9]{0,15})\.([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export type Device = { editorId: number; issuedAt: number; nonce: string };

export function newDevice(editorId: number, now: number): Device {
	const nonce = base64ToUrl(bytesToBase64(crypto.getRandomValues(new Uint8Array(16))));
	return { editorId, issuedAt: now, nonce };
}

function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
	return crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
		usage,
	]);
}

function signedData(device: Device): Uint8Array {
	return new TextEncoder().encode(`${PURPOSE}\n${device.editorId}\n${device.issuedAt}\n${device.nonce}`);
}

/** The cookie value: `<editor id>.<issued at, ms>.<nonce>.<signature>`. */
export async function signDevice(device: Device, secret: string): Promise<string> {
	const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), signedData(device));
	return `${device.editorId}.${device.issuedAt}.${device.nonce}.${base64ToUrl(bytesToBase64(new Uint8Array(signature)))}`;
}

export type PresentedDevice = Device & { signature: Uint8Array };

/** What a cookie value claims, unverified; null for anything not in the format (no database work for junk). */
export function parseDevice(value: string | undefined): PresentedDevice | null {
	const match = value === undefined ? null : FORMAT.exec(value);
	if (!match) return null;
	const signature = base64UrlToBytes(match[4] ?? "");
	const editorId = Number(match[1]);
	const issuedAt = Number(match[2]);
	if (!signature || !Number.isSafeInteger(editorId) || !Number.isSafeInteger(issuedAt)) return null;
	return { editorId, issuedAt, nonce: match[3] ?? "", signature };
}

/**
 * True when `presented` was signed with `secret` for `editorId` and is not older than
 * DEVICE_MAX_AGE_MS. The signature is checked by crypto.subtle.verify, in constant time.
 */
export async function verifyDevice(
	presented: PresentedDevice,
	editorId: number,
	secret: string,
	now: number,
): Promise<boolean> {
	if (presented.editorId !== editorId) return false;
	if (presented.issuedAt > now + CLOCK_SKEW_MS || now - presented.issuedAt >= DEVICE_MAX_AGE_MS) return false;
	const key = await hmacKey(secret, "verify");
	return crypto.subtle.verify("HMAC", key, presented.signature as BufferSource, signedData(presented));
}
