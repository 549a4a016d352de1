// Hand-built image files, just long enough for their headers: each format's magic numbers and the
// structures the size is read from (src/lib/images.ts). Not decodable pictures, which the library
// never needs to be.

const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const text = (s: string) => Array.from(s, (ch) => ch.charCodeAt(0));

/** A JPEG: SOI, an APP0 (JFIF) and a DQT segment to skip, then SOF0 (or `sof`), then SOS. */
export function jpeg(width: number, height: number, options: { sof?: number; fill?: boolean } = {}): Uint8Array {
	const app0 = [0xff, 0xe0, ...be16(16), ...text("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
	const dqt = [0xff, 0xdb, ...be16(67), 0, ...new Array(64).fill(1)];
	// A DHT (C4) segment, which is in the SOF range but is not a frame header.
	const dht = [0xff, 0xc4, ...be16(5), 0, 0, 0];
	const sof = [
		0xff,
		options.sof ?? 0xc0,
		...be16(17),
		8,
		...be16(height),
		...be16(width),
		3,
		1,
		0x22,
		0,
		2,
		0x11,
		1,
		3,
		0x11,
		1,
	];
	const fill = options.fill ? [0xff, 0xff] : [];
	const sos = [0xff, 0xda, ...be16(12), 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0, 1, 2, 3, 0xff, 0xd9];
	return new Uint8Array([0xff, 0xd8, ...app0, ...dqt, ...dht, ...fill, ...sof, ...sos]);
}

export function png(width: number, height: number): Uint8Array {
	const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	const ihdr = [...be32(13), ...text("IHDR"), ...be32(width), ...be32(height), 8, 6, 0, 0, 0, 0, 0, 0, 0];
	const iend = [...be32(0), ...text("IEND"), 0xae, 0x42, 0x60, 0x82];
	return new Uint8Array([...signature, ...ihdr, ...iend]);
}

function riff(chunk: string, data: number[]): Uint8Array {
	const body = [...text("WEBP"), ...text(chunk), ...le32(data.length), ...data];
	return new Uint8Array([...text("RIFF"), ...le32(body.length), ...body]);
}

/** Lossy WebP: a VP8 key frame's tag, start code and 14-bit sizes. */
export function webpVp8(width: number, height: number): Uint8Array {
	return riff("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0, 0, 0]);
}

/** Lossless WebP: signature 0x2F, then width-1 and height-1 in 14 bits each. */
export function webpVp8l(width: number, height: number): Uint8Array {
	const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
	return riff("VP8L", [0x2f, ...le32(bits), 0, 0, 0]);
}

/** Extended WebP: flags, then the canvas size minus one in 24 bits each. */
export function webpVp8x(width: number, height: number): Uint8Array {
	return riff("VP8X", [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]);
}

function box(type: string, content: number[]): number[] {
	return [...be32(content.length + 8), ...text(type), ...content];
}

/** AVIF: ftyp (brand `brand`), then meta > iprp > ipco with one ispe per size given (a grid's tiles). */
export function avif(
	width: number,
	height: number,
	options: { brand?: string; tiles?: [number, number] } = {},
): Uint8Array {
	const brand = options.brand ?? "avif";
	const ftyp = box("ftyp", [...text(brand), 0, 0, 0, 0, ...text("mif1"), ...text("miaf")]);
	const ispe = (w: number, h: number) => box("ispe", [0, 0, 0, 0, ...be32(w), ...be32(h)]);
	const tiles = options.tiles ? ispe(...options.tiles) : [];
	const ipco = box("ipco", [...tiles, ...ispe(width, height), ...box("pixi", [0, 0, 0, 0, 3, 8, 8, 8])]);
	const hdlr = box("hdlr", [0, 0, 0, 0, 0, 0, 0, 0, ...text("pict"), ...new Array(13).fill(0)]);
	const meta = box("meta", [0, 0, 0, 0, ...hdlr, ...box("iprp", [...ipco, ...box("ipma", [0, 0, 0, 0, 0, 0, 0, 0])])]);
	return new Uint8Array([...ftyp, ...meta, ...box("mdat", [1, 2, 3, 4])]);
}
