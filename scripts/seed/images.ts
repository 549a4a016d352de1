// The sample content's pictures: simple original illustrations drawn here, pixel by pixel, and
// encoded as PNG (8-bit RGB, filter 0 on every row, one IDAT chunk). Deterministic: the same
// picture spec gives the same pixels, and with the same zlib the same bytes, so the same media id.
// Flat colours keep each file small (well under 30 KB at 1200x675). Uses node:zlib and
// node:crypto only, both of which workerd provides under nodejs_compat, so the tests can run it.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { seededRandom as random } from "../lib/random.ts";

export type Rgb = readonly [number, number, number];

/** What to draw; the alt text in content.ts describes exactly this. */
export type PictureSpec =
	| { kind: "bars"; values: number[]; bar: Rgb; background: Rgb }
	| { kind: "map"; seed: number; regions: number; palette: Rgb[]; highlight: Rgb; background: Rgb }
	| { kind: "rings"; rings: number; colours: [Rgb, Rgb]; background: Rgb }
	| { kind: "plant"; sky: [Rgb, Rgb]; ground: Rgb; chimneys: number }
	| { kind: "turbines"; sky: [Rgb, Rgb]; ground: Rgb; turbines: number; sea: boolean }
	| { kind: "chip"; background: [Rgb, Rgb]; chip: Rgb; pins: Rgb };

export const PICTURE_WIDTH = 1200;
export const PICTURE_HEIGHT = 675;

/** An RGB raster with the few drawing operations the pictures need. */
export class Raster {
	readonly width: number;
	readonly height: number;
	readonly pixels: Uint8Array;
	constructor(width: number, height: number, fill: Rgb) {
		this.width = width;
		this.height = height;
		this.pixels = new Uint8Array(width * height * 3);
		this.rect(0, 0, width, height, fill);
	}

	set(x: number, y: number, c: Rgb): void {
		if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
		const i = (y * this.width + x) * 3;
		this.pixels[i] = c[0];
		this.pixels[i + 1] = c[1];
		this.pixels[i + 2] = c[2];
	}

	rect(x: number, y: number, w: number, h: number, c: Rgb): void {
		const x0 = Math.max(0, Math.round(x));
		const y0 = Math.max(0, Math.round(y));
		const x1 = Math.min(this.width, Math.round(x + w));
		const y1 = Math.min(this.height, Math.round(y + h));
		for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.set(xx, yy, c);
	}

	/** A filled disc, or a ring when `inner` > 0. */
	disc(cx: number, cy: number, r: number, c: Rgb, inner = 0): void {
		for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
			for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
				const d2 = (x - cx) ** 2 + (y - cy) ** 2;
				if (d2 <= r * r && d2 >= inner * inner) this.set(x, y, c);
			}
		}
	}

	/** A straight stroke `thickness` pixels wide. */
	line(ax: number, ay: number, bx: number, by: number, thickness: number, c: Rgb): void {
		const half = thickness / 2;
		const dx = bx - ax;
		const dy = by - ay;
		const len2 = dx * dx + dy * dy || 1;
		for (let y = Math.floor(Math.min(ay, by) - half); y <= Math.ceil(Math.max(ay, by) + half); y++) {
			for (let x = Math.floor(Math.min(ax, bx) - half); x <= Math.ceil(Math.max(ax, bx) + half); x++) {
				const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
				if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= half * half) this.set(x, y, c);
			}
		}
	}

	/** Fills every column from `top(x)` down to the bottom edge. */
	below(top: (x: number) => number, c: Rgb): void {
		for (let x = 0; x < this.width; x++) this.rect(x, top(x), 1, this.height, c);
	}

	/** Upper-case text in a 5x7 pixel font, each font pixel `scale` pixels square. */
	text(s: string, x: number, y: number, scale: number, c: Rgb): void {
		let cx = x;
		for (const ch of s) {
			const glyph = FONT[ch];
			if (!glyph) throw new Error(`images: no glyph for ${JSON.stringify(ch)}`);
			glyph.forEach((row, gy) => {
				for (let gx = 0; gx < row.length; gx++)
					if (row[gx] === "#") this.rect(cx + gx * scale, y + gy * scale, scale, scale, c);
			});
			cx += 6 * scale;
		}
	}
}

// Only the letters the pictures' labels use.
const FONT: Record<string, string[]> = {
	" ": ["     ", "     ", "     ", "     ", "     ", "     ", "     "],
	A: [" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
	D: ["#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "],
	E: ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"],
	I: [" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
	L: ["#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"],
	R: ["#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"],
	S: [" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "],
	T: ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "],
	U: ["#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
	V: ["#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "],
};

function mix(a: Rgb, b: Rgb, t: number): Rgb {
	return [0, 1, 2].map((i) =>
		Math.round((a[i] as number) + ((b[i] as number) - (a[i] as number)) * t),
	) as unknown as Rgb;
}

/** A top-to-bottom gradient in flat bands (bands compress far better than a smooth ramp). */
function bands(r: Raster, from: Rgb, to: Rgb, count: number, height = r.height): void {
	const h = height / count;
	for (let i = 0; i < count; i++) r.rect(0, i * h, r.width, h + 1, mix(from, to, i / (count - 1)));
}

const INK: Rgb = [34, 40, 49];
const WHITE: Rgb = [255, 255, 255];

function drawBars(r: Raster, s: Extract<PictureSpec, { kind: "bars" }>): void {
	const left = 120;
	const base = r.height - 110;
	const top = 150;
	const max = Math.max(...s.values);
	const slot = (r.width - left - 100) / s.values.length;
	for (let i = 1; i <= 4; i++)
		r.rect(left, base - ((base - top) * i) / 4, r.width - left - 100, 2, mix(s.background, INK, 0.15));
	s.values.forEach((v, i) => {
		const h = ((base - top) * v) / max;
		r.rect(left + i * slot + slot * 0.18, base - h, slot * 0.64, h, s.bar);
	});
	r.rect(left, top - 20, 4, base - top + 24, INK);
	r.rect(left, base, r.width - left - 100, 4, INK);
	r.text("ILLUSTRATIVE DATA", left, 60, 6, INK);
}

function drawMap(r: Raster, s: Extract<PictureSpec, { kind: "map" }>): void {
	const next = random(s.seed);
	const pts = Array.from({ length: s.regions }, () => [next() * r.width, next() * r.height] as const);
	const colour = pts.map((_, i) => (i === 0 ? s.highlight : (s.palette[i % s.palette.length] as Rgb)));
	// Nearest site per pixel: the regions, with a white border where the two nearest are close.
	for (let y = 0; y < r.height; y++) {
		for (let x = 0; x < r.width; x++) {
			let best = Number.POSITIVE_INFINITY;
			let second = Number.POSITIVE_INFINITY;
			let k = 0;
			for (let i = 0; i < pts.length; i++) {
				const [px, py] = pts[i] as readonly [number, number];
				const d = (x - px) ** 2 + (y - py) ** 2;
				if (d < best) {
					second = best;
					best = d;
					k = i;
				} else if (d < second) second = d;
			}
			r.set(x, y, Math.sqrt(second) - Math.sqrt(best) < 3 ? WHITE : (colour[k] as Rgb));
		}
	}
	// A coastline-like margin: the frame in the background colour.
	r.rect(0, 0, r.width, 40, s.background);
	r.rect(0, r.height - 40, r.width, 40, s.background);
	r.rect(0, 0, 40, r.height, s.background);
	r.rect(r.width - 40, 0, 40, r.height, s.background);
}

function drawRings(r: Raster, s: Extract<PictureSpec, { kind: "rings" }>): void {
	const cx = r.width / 2;
	const cy = r.height / 2;
	const outer = r.height * 0.42;
	const step = outer / (s.rings + 1);
	for (let i = 0; i < s.rings; i++) r.disc(cx, cy, outer - i * step, s.colours[i % 2] as Rgb, outer - (i + 1) * step);
	r.disc(cx, cy, step, INK);
}

function drawPlant(r: Raster, s: Extract<PictureSpec, { kind: "plant" }>): void {
	bands(r, s.sky[0], s.sky[1], 8);
	const horizon = r.height * 0.72;
	// Distant hills, then the plant's buildings, chimneys and a mine headframe in one silhouette.
	const hills = mix(s.sky[1], s.ground, 0.5);
	r.below((x) => horizon - 60 - 40 * Math.sin(x / 150) - 25 * Math.sin(x / 53 + 1), hills);
	r.rect(0, horizon, r.width, r.height - horizon, s.ground);
	r.rect(180, horizon - 150, 360, 150, s.ground);
	r.rect(560, horizon - 90, 260, 90, s.ground);
	for (let i = 0; i < s.chimneys; i++) r.rect(230 + i * 90, horizon - 300 + i * 30, 34, 200, s.ground);
	// The headframe: two legs, cross braces and a wheel on top.
	const hx = 960;
	r.line(hx - 70, horizon, hx, horizon - 280, 12, s.ground);
	r.line(hx + 70, horizon, hx, horizon - 280, 12, s.ground);
	for (let i = 1; i <= 3; i++) {
		const y = horizon - i * 70;
		const w = 70 * (1 - (i * 70) / 280);
		r.line(hx - w, y, hx + w, y, 8, s.ground);
	}
	r.disc(hx, horizon - 285, 38, s.ground, 26);
	// A conveyor from the headframe down to the plant.
	r.line(hx - 40, horizon - 200, 820, horizon - 90, 10, s.ground);
}

function drawTurbines(r: Raster, s: Extract<PictureSpec, { kind: "turbines" }>): void {
	bands(r, s.sky[0], s.sky[1], 10);
	const horizon = r.height * 0.75;
	if (s.sea) {
		r.rect(0, horizon, r.width, r.height - horizon, s.ground);
		for (let i = 0; i < 6; i++) r.rect(0, horizon + 20 + i * 26, r.width, 4, mix(s.ground, WHITE, 0.25));
	} else r.below((x) => horizon - 30 * Math.sin(x / 180) - 15 * Math.sin(x / 61), s.ground);
	const tower: Rgb = [246, 247, 249];
	for (let i = 0; i < s.turbines; i++) {
		const x = (r.width / (s.turbines + 1)) * (i + 1);
		const size = 1 - (i % 3) * 0.18;
		const hubY = horizon - 330 * size;
		r.line(x, horizon, x, hubY, 12 * size, tower);
		for (let b = 0; b < 3; b++) {
			const a = (b * 2 * Math.PI) / 3 + i * 0.7;
			r.line(x, hubY, x + Math.cos(a) * 150 * size, hubY + Math.sin(a) * 150 * size, 10 * size, tower);
		}
		r.disc(x, hubY, 12 * size, tower);
	}
}

function drawChip(r: Raster, s: Extract<PictureSpec, { kind: "chip" }>): void {
	bands(r, s.background[0], s.background[1], 6);
	const size = 300;
	const x = (r.width - size) / 2;
	const y = (r.height - size) / 2;
	for (let i = 0; i < 8; i++) {
		const at = 25 + i * 37;
		r.rect(x + at, y - 50, 14, 50, s.pins);
		r.rect(x + at, y + size, 14, 50, s.pins);
		r.rect(x - 50, y + at, 50, 14, s.pins);
		r.rect(x + size, y + at, 50, 14, s.pins);
	}
	r.rect(x, y, size, size, s.chip);
	r.disc(x + 40, y + 40, 14, s.pins);
}

/** Draws a picture. */
export function drawPicture(spec: PictureSpec, width = PICTURE_WIDTH, height = PICTURE_HEIGHT): Raster {
	switch (spec.kind) {
		case "bars": {
			const r = new Raster(width, height, spec.background);
			drawBars(r, spec);
			return r;
		}
		case "map": {
			const r = new Raster(width, height, spec.background);
			drawMap(r, spec);
			return r;
		}
		case "rings": {
			const r = new Raster(width, height, spec.background);
			drawRings(r, spec);
			return r;
		}
		case "plant": {
			const r = new Raster(width, height, spec.sky[0]);
			drawPlant(r, spec);
			return r;
		}
		case "turbines": {
			const r = new Raster(width, height, spec.sky[0]);
			drawTurbines(r, spec);
			return r;
		}
		case "chip": {
			const r = new Raster(width, height, spec.background[0]);
			drawChip(r, spec);
			return r;
		}
	}
}

// ---- PNG encoding --------------------------------------------------------------------------

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (ISO 3309), as PNG chunks carry it. */
export function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, data.length);
	for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
	out.set(data, 8);
	view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
	return out;
}

/** Encodes an RGB raster as a PNG file: 8-bit truecolour, no interlace, filter type 0 per row. */
export function encodePng(r: Raster): Uint8Array {
	const ihdr = new Uint8Array(13);
	const view = new DataView(ihdr.buffer);
	view.setUint32(0, r.width);
	view.setUint32(4, r.height);
	ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter method 0, no interlace
	const stride = r.width * 3;
	const raw = new Uint8Array((stride + 1) * r.height);
	for (let y = 0; y < r.height; y++) {
		raw[y * (stride + 1)] = 0; // filter: none
		raw.set(r.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
	}
	const idat = new Uint8Array(deflateSync(raw, { level: 9 }));
	const parts = [PNG_SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))];
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** A media id, as the library names its files: the first 32 hex digits of the SHA-256 of the bytes. */
export function mediaId(bytes: Uint8Array): string {
	return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}

/** A rendered picture: its PNG bytes and what the media row records of them. */
export type PictureFile = { id: string; png: Uint8Array; width: number; height: number };

export function renderPicture(spec: PictureSpec): PictureFile {
	const raster = drawPicture(spec);
	const png = encodePng(raster);
	return { id: mediaId(png), png, width: raster.width, height: raster.height };
}
