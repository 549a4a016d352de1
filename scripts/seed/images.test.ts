// `npm run test:cli`: the sample pictures' PNG encoder, decoded here by hand (signature, chunks and
// their CRCs, IHDR, the inflated rows) and checked against the drawn pixels and the media ids.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { seedArticles, seedPictures } from "./content.ts";
import { crc32, drawPicture, encodePng, PNG_SIGNATURE, Raster, renderPicture } from "./images.ts";
import { renderSeedPictures } from "./pictures.ts";

type Chunk = { type: string; data: Buffer };

/** Splits a PNG into its chunks, checking the signature and every chunk's CRC. */
function chunks(png: Uint8Array): Chunk[] {
	const buf = Buffer.from(png);
	assert.deepEqual([...buf.subarray(0, 8)], [...PNG_SIGNATURE], "PNG signature");
	const out: Chunk[] = [];
	let at = 8;
	while (at < buf.length) {
		const length = buf.readUInt32BE(at);
		const type = buf.toString("latin1", at + 4, at + 8);
		const data = buf.subarray(at + 8, at + 8 + length);
		const crc = buf.readUInt32BE(at + 8 + length);
		assert.equal(crc, crc32(buf.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
		out.push({ type, data });
		at += 12 + length;
	}
	assert.equal(at, buf.length, "no bytes after the last chunk");
	return out;
}

/** Decodes an 8-bit RGB, filter-0 PNG back to its pixels. */
function decode(png: Uint8Array): { width: number; height: number; pixels: Buffer } {
	const list = chunks(png);
	assert.deepEqual(
		list.map((c) => c.type),
		["IHDR", "IDAT", "IEND"],
	);
	const ihdr = list[0]?.data as Buffer;
	const width = ihdr.readUInt32BE(0);
	const height = ihdr.readUInt32BE(4);
	assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0], "8-bit RGB, deflate, no interlace");
	const raw = inflateSync(list[1]?.data as Buffer);
	const stride = width * 3;
	assert.equal(raw.length, (stride + 1) * height);
	const pixels = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		assert.equal(raw[y * (stride + 1)], 0, `row ${y} uses filter 0`);
		raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
	}
	return { width, height, pixels };
}

describe("PNG encoder", () => {
	it("computes the standard CRC-32", () => {
		assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
		assert.equal(crc32(new Uint8Array(0)), 0);
	});

	it("round-trips a small raster exactly", () => {
		const r = new Raster(7, 5, [10, 20, 30]);
		r.set(3, 2, [255, 0, 128]);
		r.rect(0, 4, 7, 1, [1, 2, 3]);
		const png = decode(encodePng(r));
		assert.equal(png.width, 7);
		assert.equal(png.height, 5);
		assert.deepEqual([...png.pixels], [...r.pixels]);
	});

	it("refuses text it has no glyph for", () => {
		assert.throws(() => new Raster(100, 20, [0, 0, 0]).text("x", 0, 0, 1, [1, 1, 1]), /no glyph/);
	});
});

describe("sample pictures", () => {
	const files = renderSeedPictures();

	it("picture at least half of the articles, each article at most once, with words for each", () => {
		assert.ok(files.length * 2 >= seedArticles.length);
		const slugs = new Set(seedArticles.map((a) => a.slug));
		assert.equal(new Set(seedPictures.map((p) => p.article)).size, seedPictures.length);
		for (const p of seedPictures) {
			assert.ok(slugs.has(p.article), p.article);
			assert.ok(p.alt.length > 30 && p.caption.length > 0 && p.credit.length > 0, p.article);
		}
	});

	it("decode to the drawn pixels, 1200x675, under 30 KB each, with distinct ids", () => {
		for (const [i, f] of files.entries()) {
			const png = decode(f.png);
			const spec = seedPictures[i]?.spec;
			assert.ok(spec);
			assert.deepEqual([png.width, png.height], [1200, 675]);
			assert.deepEqual([f.media.width, f.media.height], [png.width, png.height]);
			assert.ok(png.pixels.equals(drawPicture(spec).pixels), `${f.media.article}: pixels`);
			assert.equal(f.media.bytes, f.png.length);
			assert.ok(f.png.length < 30_000, `${f.media.article}: ${f.png.length} bytes`);
		}
		assert.equal(new Set(files.map((f) => f.media.id)).size, files.length);
	});

	it("are named by the first 32 hex digits of their SHA-256, and drawn the same every time", () => {
		for (const [i, f] of files.entries()) {
			assert.match(f.media.id, /^[0-9a-f]{32}$/);
			assert.equal(f.media.id, createHash("sha256").update(f.png).digest("hex").slice(0, 32));
			const again = renderPicture(seedPictures[i]?.spec ?? assert.fail("no spec"));
			assert.equal(again.id, f.media.id);
			assert.ok(Buffer.from(again.png).equals(Buffer.from(f.png)));
		}
	});
});
