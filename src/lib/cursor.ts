// Keyset pagination cursors: opaque to clients, but just the sort key of the last row seen
// (publishedAt, id). Newest first, and id breaks ties between equal timestamps.

import { base64ToUrl } from "./encoding";

export type Cursor = { publishedAt: number; id: number };

const PREFIX = "v1.";

/** Text as unpadded base64url: the form of every opaque cursor this site issues. */
export function toBase64Url(text: string): string {
	return base64ToUrl(btoa(text));
}

/** The text of an opaque cursor, or null when it is not base64url of at most `maxLength` characters. */
export function fromBase64Url(text: string, maxLength = 64): string | null {
	if (text.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
	try {
		return atob(text.replace(/-/g, "+").replace(/_/g, "/"));
	} catch {
		return null;
	}
}

export function encodeCursor(cursor: Cursor): string {
	return toBase64Url(`${PREFIX}${cursor.publishedAt}.${cursor.id}`);
}

/** The cursor, or null when the text is not one this site issued. */
export function decodeCursor(text: string): Cursor | null {
	const decoded = fromBase64Url(text);
	const match = decoded?.match(/^v1\.(\d{1,15})\.(\d{1,15})$/);
	if (!match) return null;
	const publishedAt = Number(match[1]);
	const id = Number(match[2]);
	if (!Number.isSafeInteger(publishedAt) || !Number.isSafeInteger(id) || id < 1) return null;
	return { publishedAt, id };
}
