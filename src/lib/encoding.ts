// Bytes to text for hashes and tokens: base64 for CSP sources, base64url for anything in a URL
// or a header value that must stay short and unambiguous.

export function bytesToBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

/** base64 → base64url without padding (RFC 4648 §5). */
export function base64ToUrl(base64: string): string {
	return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** base64url (padded or not) → bytes; null for anything that is not base64url. */
export function base64UrlToBytes(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
	try {
		const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
		return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (ch) => ch.charCodeAt(0));
	} catch {
		return null;
	}
}

export async function sha256(data: BufferSource): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}
