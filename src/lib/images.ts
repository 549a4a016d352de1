// The picture library's pure parts: what kind of image some bytes are (by their magic numbers,
// never a file name or a declared type) and how large it is (from its header), the content-hash
// id, and the library's URLs and Markdown references. docs/media.md describes the conventions.

export const MEDIA_EXTS = ["jpg", "png", "webp", "avif"] as const;
export type MediaExt = (typeof MEDIA_EXTS)[number];
export type ImageType = "image/jpeg" | "image/png" | "image/webp" | "image/avif";

export const TYPE_OF_EXT: Record<MediaExt, ImageType> = {
	jpg: "image/jpeg",
	png: "image/png",
	webp: "image/webp",
	avif: "image/avif",
};

/** The largest width or height accepted (JPEG's own limit; far past any picture a page shows). */
export const MAX_DIMENSION = 65_535;

export type ImageInfo = { type: ImageType; ext: MediaExt; width: number; height: number };
export type Sniffed = { ok: true; image: ImageInfo } | { ok: false; reason: string };

const NOT_AN_IMAGE = "The file is not a JPEG, PNG, WebP or AVIF image.";

/** What the bytes are, by their own header; `reason` says why they are not a usable picture. */
export function sniffImage(bytes: Uint8Array): Sniffed {
	if (bytes.length === 0) return fail("The file is empty.");
	try {
		if (startsWith(bytes, [0xff, 0xd8, 0xff])) return sized("jpg", jpegSize(bytes));
		if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return sized("png", pngSize(bytes));
		if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return sized("webp", webpSize(bytes));
		if (ascii(bytes, 4, 4) === "ftyp") {
			if (!isAvif(bytes)) return fail(NOT_AN_IMAGE);
			return sized("avif", avifSize(bytes));
		}
	} catch (err) {
		if (err instanceof Truncated) return fail(`The ${err.format} file is cut short or damaged: ${err.message}.`);
		throw err;
	}
	return fail(NOT_AN_IMAGE);
}

function fail(reason: string): Sniffed {
	return { ok: false, reason };
}

function sized(ext: MediaExt, size: { width: number; height: number }): Sniffed {
	const { width, height } = size;
	const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_DIMENSION;
	if (!ok(width) || !ok(height)) {
		return fail(`The image says it is ${width}×${height} pixels; each side must be 1 to ${MAX_DIMENSION}.`);
	}
	return { ok: true, image: { type: TYPE_OF_EXT[ext], ext, width, height } };
}

/** A header that ends, or contradicts itself, before the size is known. */
class Truncated extends Error {
	readonly format: string;

	constructor(format: string, message: string) {
		super(message);
		this.format = format;
	}
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
	if (at + length > bytes.length) return "";
	return String.fromCharCode(...bytes.subarray(at, at + length));
}

function need(bytes: Uint8Array, end: number, format: string, what: string): void {
	if (end > bytes.length) throw new Truncated(format, `it ends before ${what}`);
}

const u16be = (b: Uint8Array, at: number) => (b[at] as number) * 256 + (b[at + 1] as number);
const u16le = (b: Uint8Array, at: number) => (b[at] as number) + (b[at + 1] as number) * 256;
const u24le = (b: Uint8Array, at: number) => u16le(b, at) + (b[at + 2] as number) * 65_536;
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 65_536 + u16be(b, at + 2);
const u32le = (b: Uint8Array, at: number) => u16le(b, at) + u16le(b, at + 2) * 65_536;

/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
function isSof(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Walks the JPEG's marker segments to the first SOFn, skipping every other segment by its length. */
function jpegSize(b: Uint8Array): { width: number; height: number } {
	const F = "JPEG";
	let at = 2;
	for (;;) {
		need(b, at + 2, F, "its frame header");
		if (b[at] !== 0xff) throw new Truncated(F, "a marker segment is malformed");
		// Any number of 0xFF fill bytes may precede a marker.
		while (b[at + 1] === 0xff) {
			at++;
			need(b, at + 2, F, "its frame header");
		}
		const marker = b[at + 1] as number;
		at += 2;
		// Markers without a length: TEM and RST0–7 (and a stray SOI).
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
		if (marker === 0xd9 || marker === 0xda) throw new Truncated(F, "it has no frame header before its image data");
		need(b, at + 2, F, "its frame header");
		const length = u16be(b, at);
		if (length < 2) throw new Truncated(F, "a marker segment is malformed");
		if (isSof(marker)) {
			if (length < 8) throw new Truncated(F, "its frame header is malformed");
			need(b, at + 7, F, "the end of its frame header");
			return { height: u16be(b, at + 3), width: u16be(b, at + 5) };
		}
		at += length;
	}
}

function pngSize(b: Uint8Array): { width: number; height: number } {
	need(b, 24, "PNG", "its IHDR chunk");
	if (ascii(b, 12, 4) !== "IHDR" || u32be(b, 8) !== 13) throw new Truncated("PNG", "its first chunk is not IHDR");
	return { width: u32be(b, 16), height: u32be(b, 20) };
}

function webpSize(b: Uint8Array): { width: number; height: number } {
	const F = "WebP";
	need(b, 20, F, "its first chunk");
	const chunk = ascii(b, 12, 4);
	if (chunk === "VP8 ") {
		need(b, 30, F, "its frame header");
		// A key frame's 3-byte tag, then the start code 9D 01 2A and two 14-bit sizes.
		if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw new Truncated(F, "its VP8 start code is missing");
		return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
	}
	if (chunk === "VP8L") {
		need(b, 25, F, "its VP8L header");
		if (b[20] !== 0x2f) throw new Truncated(F, "its VP8L signature is missing");
		const bits = u32le(b, 21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === "VP8X") {
		need(b, 30, F, "its VP8X header");
		return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
	}
	throw new Truncated(F, `its first chunk "${chunk}" is not VP8, VP8L or VP8X`);
}

type Box = { type: string; start: number; end: number };

/** The ISO BMFF boxes in [from, to): each with where its content starts and where it ends. */
function boxes(b: Uint8Array, from: number, to: number): Box[] {
	const F = "AVIF";
	const found: Box[] = [];
	let at = from;
	while (at < to) {
		if (at + 8 > to) throw new Truncated(F, "a box header is cut short");
		let size = u32be(b, at);
		const type = ascii(b, at + 4, 4);
		let start = at + 8;
		if (size === 1) {
			if (at + 16 > to) throw new Truncated(F, "a box header is cut short");
			// A 64-bit size; anything past 2^53 is no file this accepts anyway.
			size = u32be(b, at + 8) * 2 ** 32 + u32be(b, at + 12);
			start = at + 16;
		} else if (size === 0) {
			size = to - at;
		}
		const end = at + size;
		if (size < start - at || end > to) throw new Truncated(F, `the "${type}" box runs past its container`);
		found.push({ type, start, end });
		at = end;
	}
	return found;
}

function isAvif(b: Uint8Array): boolean {
	const size = u32be(b, 0);
	if (size < 16 || size > b.length) return ascii(b, 8, 4) === "avif" || ascii(b, 8, 4) === "avis";
	const brands = [ascii(b, 8, 4)];
	for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(b, at, 4));
	return brands.includes("avif") || brands.includes("avis");
}

/**
 * The size from the `ispe` (image spatial extents) properties in meta/iprp/ipco. A grid image
 * has one per tile and one for the whole; the largest is the picture's.
 */
function avifSize(b: Uint8Array): { width: number; height: number } {
	const F = "AVIF";
	const child = (parent: Box | null, type: string, skip = 0): Box => {
		const list = parent ? boxes(b, parent.start + skip, parent.end) : boxes(b, 0, b.length);
		const box = list.find((x) => x.type === type);
		if (!box) throw new Truncated(F, `it has no "${type}" box`);
		return box;
	};
	// meta is a full box: 4 bytes of version and flags before its children.
	const ipco = child(child(child(null, "meta"), "iprp", 4), "ipco");
	let best: { width: number; height: number } | null = null;
	for (const box of boxes(b, ipco.start, ipco.end)) {
		if (box.type !== "ispe") continue;
		if (box.end - box.start < 12) throw new Truncated(F, "its ispe box is cut short");
		const width = u32be(b, box.start + 4);
		const height = u32be(b, box.start + 8);
		if (!best || width * height > best.width * best.height) best = { width, height };
	}
	if (!best) throw new Truncated(F, 'it has no "ispe" box');
	return best;
}

// ---- ids, URLs and Markdown references --------------------------------------------------------

/** A media id: the first 32 lowercase hex digits of the SHA-256 of the file's bytes. */
export async function mediaIdOf(bytes: Uint8Array): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	return Array.from(digest.subarray(0, 16), (x) => x.toString(16).padStart(2, "0")).join("");
}

export const MEDIA_ID = /^[0-9a-f]{32}$/;

export function isMediaId(value: unknown): value is string {
	return typeof value === "string" && MEDIA_ID.test(value);
}

/** The R2 key of a picture, and the last part of its URL. */
export function mediaKey(id: string, ext: string): string {
	return `${id}.${ext}`;
}

/** The site-relative URL of a picture. */
export function mediaPath(id: string, ext: string): string {
	return `/media/${mediaKey(id, ext)}`;
}

const MEDIA_NAME = /^([0-9a-f]{32})\.(jpg|png|webp|avif)$/;

/** `<id>.<ext>` as its parts, or null for any other name. */
export function parseMediaName(name: string): { id: string; ext: MediaExt } | null {
	const m = MEDIA_NAME.exec(name);
	return m ? { id: m[1] as string, ext: m[2] as MediaExt } : null;
}

/** The Markdown that embeds a picture: `![alt](/media/<id>.<ext>)`, the alt's brackets and backslashes escaped. */
export function markdownEmbed(m: { id: string; ext: string; alt: string }): string {
	const alt = m.alt.replace(/([\\[\]])/g, "\\$1");
	return `![${alt}](${mediaPath(m.id, m.ext)})`;
}

// A library picture in a Markdown body: an image whose URL is /media/<id>.<ext>, site-relative or
// on any origin (an absolute URL of this site), optionally <bracketed> and with a title.
const EMBED =
	/!\[(?:\\.|[^\]\\])*\]\(\s*<?(?:https?:\/\/[^/\s)>]+)?\/media\/([0-9a-f]{32})\.(jpg|png|webp|avif)>?(?:\s[^)]*)?\)/g;

/** The ids of the library pictures a Markdown body embeds, each once, in order of first use. */
export function embeddedMediaIds(markdown: string): string[] {
	const ids = new Set<string>();
	for (const m of markdown.matchAll(EMBED)) ids.add(m[1] as string);
	return [...ids];
}

/** The widths a resized copy is offered at, for srcset; only those below the original's are used. */
export const RESIZE_WIDTHS = [480, 800, 1200, 1600] as const;

/**
 * A srcset through Cloudflare Image Resizing (/cdn-cgi/image/...), the original as its widest
 * entry; null when the original is narrower than every resized width (nothing to offer).
 */
export function resizedSrcset(path: string, width: number): string | null {
	const widths = RESIZE_WIDTHS.filter((w) => w < width);
	if (widths.length === 0) return null;
	return [...widths.map((w) => `/cdn-cgi/image/width=${w},format=auto${path} ${w}w`), `${path} ${width}w`].join(", ");
}
