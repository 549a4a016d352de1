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

export async function sha256(data: BufferSource): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}
