import { describe, expect, it } from "vitest";
import {
	embeddedMediaIds,
	isMediaId,
	markdownEmbed,
	mediaIdOf,
	mediaPath,
	parseMediaName,
	resizedSrcset,
	sniffImage,
} from "../../src/lib/images";
import { avif, jpeg, png, webpVp8, webpVp8l, webpVp8x } from "../image-fixtures";

const ok = (bytes: Uint8Array) => {
	const sniffed = sniffImage(bytes);
	if (!sniffed.ok) throw new Error(sniffed.reason);
	return sniffed.image;
};
const reason = (bytes: Uint8Array) => {
	const sniffed = sniffImage(bytes);
	if (sniffed.ok) throw new Error("expected a refusal");
	return sniffed.reason;
};
const cut = (bytes: Uint8Array, length: number) => bytes.subarray(0, length);

describe("sniffImage", () => {
	it("reads a JPEG's size from its SOF0, skipping APP0, DQT and DHT segments", () => {
		expect(ok(jpeg(1200, 800))).toEqual({ type: "image/jpeg", ext: "jpg", width: 1200, height: 800 });
	});

	it("reads progressive and other SOFn markers, and skips fill bytes before a marker", () => {
		expect(ok(jpeg(640, 480, { sof: 0xc2 }))).toMatchObject({ width: 640, height: 480 });
		expect(ok(jpeg(641, 481, { sof: 0xc1, fill: true }))).toMatchObject({ width: 641, height: 481 });
		expect(ok(jpeg(17, 9, { sof: 0xcf }))).toMatchObject({ width: 17, height: 9 });
	});

	it("reads a PNG's size from IHDR", () => {
		expect(ok(png(1, 65_535))).toEqual({ type: "image/png", ext: "png", width: 1, height: 65_535 });
	});

	it("reads each kind of WebP", () => {
		expect(ok(webpVp8(1024, 768))).toEqual({ type: "image/webp", ext: "webp", width: 1024, height: 768 });
		expect(ok(webpVp8l(16_384, 3))).toMatchObject({ width: 16_384, height: 3 });
		expect(ok(webpVp8x(4000, 3000))).toMatchObject({ width: 4000, height: 3000 });
	});

	it("reads an AVIF's size from ispe, the largest of a grid's", () => {
		expect(ok(avif(1920, 1080))).toEqual({ type: "image/avif", ext: "avif", width: 1920, height: 1080 });
		expect(ok(avif(800, 600, { brand: "avis" }))).toMatchObject({ width: 800, height: 600 });
		expect(ok(avif(2048, 1024, { tiles: [512, 512] }))).toMatchObject({ width: 2048, height: 1024 });
	});

	it("goes by the bytes alone: a HEIC (ftyp heic) or anything else is not accepted", () => {
		expect(reason(avif(10, 10, { brand: "heic" }))).toMatch(/not a JPEG, PNG, WebP or AVIF/);
		expect(reason(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toMatch(/not a JPEG/);
		expect(reason(new TextEncoder().encode("GIF89a\x01\x00\x01\x00"))).toMatch(/not a JPEG/);
		expect(reason(new Uint8Array(0))).toBe("The file is empty.");
	});

	it("refuses every truncation of every format's header, and never throws", () => {
		const files = {
			jpeg: jpeg(100, 50),
			png: png(100, 50),
			vp8: webpVp8(100, 50),
			vp8l: webpVp8l(100, 50),
			vp8x: webpVp8x(100, 50),
			avif: avif(100, 50),
		};
		for (const [name, bytes] of Object.entries(files)) {
			// Up to where the size has been read, each shorter file is refused.
			const full = ok(bytes);
			for (let length = 1; length < bytes.length; length++) {
				const sniffed = sniffImage(cut(bytes, length));
				if (sniffed.ok) expect(sniffed.image, `${name} cut at ${length}`).toEqual(full);
				else expect(sniffed.reason, `${name} cut at ${length}`).toMatch(/cut short|not a JPEG|empty/);
			}
		}
		expect(reason(cut(jpeg(100, 50), 40))).toMatch(/JPEG file is cut short/);
		expect(reason(cut(png(100, 50), 20))).toMatch(/PNG file is cut short/);
		expect(reason(cut(avif(100, 50), 60))).toMatch(/AVIF file is cut short/);
	});

	it("refuses a JPEG whose image data starts before any frame header, or with a bad segment length", () => {
		expect(reason(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 4, 0, 0]))).toMatch(/no frame header/);
		expect(reason(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1, 0, 0]))).toMatch(/malformed/);
		expect(reason(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 2, 0x12, 0x34]))).toMatch(/malformed/);
	});

	it("refuses zero or enormous sizes", () => {
		expect(reason(png(0, 10))).toMatch(/0×10 pixels/);
		expect(reason(png(70_000, 10))).toMatch(/1 to 65535/);
		expect(reason(avif(100_000, 100_000))).toMatch(/1 to 65535/);
	});

	it("refuses a PNG whose first chunk is not IHDR, and an AVIF whose boxes overrun", () => {
		const bad = png(10, 10);
		bad[12] = 0x58;
		expect(reason(bad)).toMatch(/not IHDR/);
		const overrun = avif(10, 10);
		overrun[27] = 0xff; // meta's size grows past the file
		expect(sniffImage(overrun).ok).toBe(false);
	});

	it("ignores what a file claims to be: PNG bytes are a PNG whatever the name", () => {
		// The name never reaches sniffImage: the bytes decide (see the upload tests for names).
		expect(ok(png(3, 4)).ext).toBe("png");
	});
});

describe("ids and names", () => {
	it("a media id is the first 32 hex digits of the SHA-256", async () => {
		// SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
		expect(await mediaIdOf(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223");
	});

	it("parses only <32 hex>.<known ext>", () => {
		const id = "0123456789abcdef0123456789abcdef";
		expect(parseMediaName(`${id}.png`)).toEqual({ id, ext: "png" });
		for (const bad of [
			`${id}.gif`,
			`${id.toUpperCase()}.png`,
			`${id}.png.png`,
			`../${id}.png`,
			`${id}`,
			"",
			`${id}a.jpg`,
		]) {
			expect(parseMediaName(bad), bad).toBeNull();
		}
		expect(isMediaId(id)).toBe(true);
		expect(isMediaId(`${id}0`)).toBe(false);
		expect(mediaPath(id, "jpg")).toBe(`/media/${id}.jpg`);
	});

	it("finds the library pictures a Markdown body embeds, once each", () => {
		const a = "a".repeat(32);
		const b = "b".repeat(32);
		const md = `![One](/media/${a}.jpg) text ![Two](https://samarium.dev/media/${b}.png "t")
![Again](/media/${a}.jpg) [a link](/media/${"c".repeat(32)}.png) ![Other](https://x.test/p.png) ![Bad](/media/${a}.gif)`;
		expect(embeddedMediaIds(md)).toEqual([a, b]);
	});

	it("offers resized widths below the original's only", () => {
		expect(resizedSrcset("/media/x.jpg", 400)).toBeNull();
		expect(resizedSrcset("/media/x.jpg", 1000)).toBe(
			"/cdn-cgi/image/width=480,format=auto/media/x.jpg 480w, /cdn-cgi/image/width=800,format=auto/media/x.jpg 800w, /media/x.jpg 1000w",
		);
	});
});

describe("markdownEmbed", () => {
	it("escapes what would end the alt text, and round-trips through embeddedMediaIds", () => {
		const id = "d".repeat(32);
		const md = markdownEmbed({ id, ext: "webp", alt: "A [draft] \\ chart]" });
		expect(md).toBe(`![A \\[draft\\] \\\\ chart\\]](/media/${id}.webp)`);
		expect(embeddedMediaIds(md)).toEqual([id]);
	});
});
