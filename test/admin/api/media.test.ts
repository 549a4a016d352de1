import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { MEDIA_MAX_BYTES } from "../../../src/admin/limits";
import * as schema from "../../../src/db/schema";
import { mediaIdOf } from "../../../src/lib/images";
import { fetchApp, freshTaxa, insertArticle, testDb } from "../../helpers";
import { avif, jpeg, png, webpVp8, webpVp8l, webpVp8x } from "../../image-fixtures";
import { clearBucket, upload, uploaded, uploadRequest } from "../../media-helpers";
import { adminFetch, bearerToken, expectJsonError, expectPrivate, signedInAdminAndEditor } from "../helpers";

// The picture library's JSON API: upload (each format, sniffing, limits, refusals), list, delete.

let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	await freshTaxa();
	await clearBucket();
	({ admin, editor } = await signedInAdminAndEditor());
});

describe("upload", () => {
	it.each([
		["jpeg", jpeg(1200, 800), "image/jpeg", "jpg", 1200, 800],
		["png", png(640, 480), "image/png", "png", 640, 480],
		["webp VP8", webpVp8(1024, 768), "image/webp", "webp", 1024, 768],
		["webp VP8L", webpVp8l(300, 200), "image/webp", "webp", 300, 200],
		["webp VP8X", webpVp8x(4000, 3000), "image/webp", "webp", 4000, 3000],
		["avif", avif(1920, 1080), "image/avif", "avif", 1920, 1080],
	] as const)(
		"stores a %s: 201, its size from the header, the file in R2 under <hash>.<ext>",
		async (_, bytes, type, ext, width, height) => {
			const res = await upload(editor, bytes, { alt: "Magnets on a bench", caption: "In the lab", credit: "Samarium" });
			expect(res.status).toBe(201);
			expectPrivate(res);
			const id = await mediaIdOf(bytes);
			expect(await res.json()).toEqual({
				id,
				url: `https://samarium.test/media/${id}.${ext}`,
				width,
				height,
				alt: "Magnets on a bench",
				caption: "In the lab",
				credit: "Samarium",
				bytes: bytes.byteLength,
				type,
				markdown: `![Magnets on a bench](/media/${id}.${ext})`,
				createdAt: expect.any(String),
			});
			const object = await env.MEDIA.get(`${id}.${ext}`);
			expect(object?.httpMetadata?.contentType).toBe(type);
			expect(new Uint8Array(await (object as R2ObjectBody).arrayBuffer())).toEqual(bytes);
			const [row] = await testDb().select().from(schema.media).where(eq(schema.media.id, id));
			expect(row).toMatchObject({ ext, type, width, height, bytes: bytes.byteLength });
			const audit = await testDb().select().from(schema.auditLog).where(eq(schema.auditLog.action, "media.create"));
			expect(audit).toHaveLength(1);
		},
	);

	it("goes by the bytes: PNG bytes named .jpg and declared image/jpeg are stored as a PNG", async () => {
		const body = await uploaded(editor, png(10, 20), { name: "photo.jpg", declaredType: "image/jpeg" });
		expect(body.type).toBe("image/png");
		expect(body.url).toMatch(/\.png$/);
		expect(await env.MEDIA.head(`${body.id}.png`)).not.toBeNull();
		expect(await env.MEDIA.head(`${body.id}.jpg`)).toBeNull();
	});

	it("the same bytes again are the same picture: 200 with the stored one, nothing changed", async () => {
		const first = await uploaded(editor, png(5, 5), { alt: "First" });
		const res = await upload(admin, png(5, 5), { alt: "Second" });
		expect(res.status).toBe(200);
		const again = (await res.json()) as { id: string; alt: string };
		expect(again.id).toBe(first.id);
		expect(again.alt).toBe("First");
		expect(await testDb().select().from(schema.media)).toHaveLength(1);
	});

	it("refuses without alt text (400, the field named), and blank alt text", async () => {
		for (const alt of [undefined, "   "]) {
			const error = await expectJsonError(await upload(editor, png(5, 5), { alt }), 400, ["alt"]);
			expect(error.fields?.alt).toMatch(/describe the picture/);
		}
		expect(await env.MEDIA.list()).toMatchObject({ objects: [] });
	});

	it("refuses what is not a picture, or is cut short, with a clear message, and stores nothing", async () => {
		const cases: [Uint8Array | string, RegExp][] = [
			["", /empty/],
			["<svg xmlns='http://www.w3.org/2000/svg'></svg>", /not a JPEG, PNG, WebP or AVIF/],
			[new TextEncoder().encode("GIF89a......"), /not a JPEG/],
			[jpeg(100, 100).subarray(0, 30), /JPEG file is cut short/],
			[png(100, 100).subarray(0, 16), /PNG file is cut short/],
			[avif(100, 100).subarray(0, 40), /AVIF file is cut short/],
		];
		for (const [bytes, message] of cases) {
			const error = await expectJsonError(await upload(editor, bytes, { name: "x.jpg" }), 400, ["file"]);
			expect(error.message).toMatch(message);
		}
		const noFile = await expectJsonError(await upload(editor, null), 400, ["file"]);
		expect(noFile.message).toMatch(/Choose a picture/);
		expect(await testDb().select().from(schema.media)).toHaveLength(0);
		expect((await env.MEDIA.list()).objects).toHaveLength(0);
	});

	it("refuses a body that is not multipart, or not well-formed multipart", async () => {
		await expectJsonError(await adminFetch("/api/admin/media", editor, { json: { alt: "x" } }), 400);
		const broken = await fetchApp("/api/admin/media", {
			method: "POST",
			headers: { ...editor, origin: "https://localhost", "content-type": "multipart/form-data; boundary=zzz" },
			body: '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
		});
		await expectJsonError(broken, 400);
	});

	it("takes files past the admin's 1 MiB body limit, up to 10 MiB", async () => {
		const big = new Uint8Array(3 * 1024 * 1024);
		big.set(png(2000, 1000));
		const res = await upload(editor, big);
		expect(res.status).toBe(201);
		expect(((await res.json()) as { width: number }).width).toBe(2000);
	});

	it("refuses a file over 10 MiB with 413", async () => {
		const huge = new Uint8Array(MEDIA_MAX_BYTES + 1);
		huge.set(png(10, 10));
		await expectJsonError(await upload(editor, huge), 413);
		expect((await env.MEDIA.list()).objects).toHaveLength(0);
	});

	it("refuses a Content-Length over the limit before reading, and a body that outgrows a lying one", async () => {
		const declared = await fetchApp("/api/admin/media", {
			method: "POST",
			headers: {
				...editor,
				origin: "https://localhost",
				"content-type": "multipart/form-data; boundary=zzz",
				"content-length": String(MEDIA_MAX_BYTES * 2),
			},
			body: "--zzz--",
		});
		await expectJsonError(declared, 413);
		// No Content-Length at all (a stream): the bytes are counted as they arrive.
		const chunk = new Uint8Array(1024 * 1024);
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= 12) return controller.close();
				sent += 1;
				controller.enqueue(chunk);
			},
		});
		const streamed = await fetchApp("/api/admin/media", {
			method: "POST",
			headers: { ...editor, origin: "https://localhost", "content-type": "multipart/form-data; boundary=zzz" },
			body: stream,
			// @ts-expect-error workerd wants this for a streamed request body
			duplex: "half",
		});
		await expectJsonError(streamed, 413);
	});

	it("needs a signed-in editor, and the same Origin for a cookie", async () => {
		const anonymous = await fetchApp("/api/admin/media", { method: "POST", body: new FormData() });
		await expectJsonError(anonymous, 401);
		await expectJsonError(await upload(editor, png(5, 5), { origin: "https://evil.example" }), 403);
		await expectJsonError(await upload(editor, png(5, 5), { origin: null }), 403);
		const [row] = await testDb().select().from(schema.editors).where(eq(schema.editors.role, "editor"));
		const token = await bearerToken(row as schema.Editor);
		const res = await fetchApp("/api/admin/media", uploadRequest({ authorization: token }, png(6, 6)));
		expect(res.status).toBe(201);
	});

	it("keeps hostile alt text as text: the JSON carries it as is, the Markdown escapes its brackets", async () => {
		const alt = `<img src=x onerror=alert(1)> ]) [x](javascript:alert(1)`;
		const body = (await uploaded(editor, png(7, 7), { alt })) as unknown as { alt: string; markdown: string };
		expect(body.alt).toBe(alt);
		expect(body.markdown).toContain("\\]) \\[x\\]");
	});
});

describe("list", () => {
	it("lists newest first, a page at a time by cursor", async () => {
		const ids: string[] = [];
		for (let i = 1; i <= 3; i++) {
			ids.push((await uploaded(editor, png(i, i), { alt: `Picture ${i}` })).id);
			await new Promise((r) => setTimeout(r, 3));
		}
		const first = await adminFetch("/api/admin/media?limit=2", editor);
		expect(first.status).toBe(200);
		const page1 = (await first.json()) as { media: { id: string }[]; nextCursor: string };
		expect(page1.media.map((m) => m.id)).toEqual([ids[2], ids[1]]);
		const page2 = (await (await adminFetch(`/api/admin/media?limit=2&cursor=${page1.nextCursor}`, editor)).json()) as {
			media: { id: string }[];
			nextCursor: string | null;
		};
		expect(page2.media.map((m) => m.id)).toEqual([ids[0]]);
		expect(page2.nextCursor).toBeNull();
	});

	it("refuses a made-up cursor or a bad limit (400), and anonymous readers (401)", async () => {
		await expectJsonError(await adminFetch("/api/admin/media?cursor=nope!", editor), 400, ["cursor"]);
		await expectJsonError(await adminFetch("/api/admin/media?limit=0", editor), 400, ["limit"]);
		await expectJsonError(await adminFetch("/api/admin/media?limit=1000", editor), 400, ["limit"]);
		await expectJsonError(await fetchApp("/api/admin/media"), 401);
	});
});

describe("delete", () => {
	it("deletes an unused picture: row and file gone, logged; then 404", async () => {
		const { id } = await uploaded(editor, png(8, 8));
		const res = await adminFetch(`/api/admin/media/${id}`, editor, { method: "DELETE" });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id, deleted: true });
		expect(await testDb().select().from(schema.media)).toHaveLength(0);
		expect(await env.MEDIA.head(`${id}.png`)).toBeNull();
		await expectJsonError(await adminFetch(`/api/admin/media/${id}`, editor, { method: "DELETE" }), 404);
		await expectJsonError(await adminFetch("/api/admin/media/..%2F..%2Fetc", editor, { method: "DELETE" }), 404);
	});

	it("refuses (409) while articles use it, naming each by slug and title", async () => {
		const { id } = await uploaded(editor, png(9, 9));
		const lead = await insertArticle({ title: "Lead use", leadImageId: id });
		const body = await insertArticle({ title: "Body use", status: "draft", publishedAt: null });
		await testDb()
			.insert(schema.articleMedia)
			.values([
				{ articleId: lead.id, mediaId: id },
				{ articleId: body.id, mediaId: id },
			]);
		const res = await adminFetch(`/api/admin/media/${id}`, editor, { method: "DELETE" });
		const error = (await expectJsonError(res.clone(), 409)) as { message: string };
		expect(error.message).toContain(`“Lead use” (${lead.slug})`);
		expect(error.message).toContain(`“Body use” (${body.slug})`);
		const json = (await res.json()) as { error: { articles: { slug: string; title: string }[] } };
		expect(json.error.articles).toEqual([
			{ id: lead.id, slug: lead.slug, title: "Lead use" },
			{ id: body.id, slug: body.slug, title: "Body use" },
		]);
		expect(await testDb().select().from(schema.media)).toHaveLength(1);
		expect(await env.MEDIA.head(`${id}.png`)).not.toBeNull();
	});

	it("needs the same Origin for a cookie", async () => {
		const { id } = await uploaded(editor, png(11, 11));
		await expectJsonError(
			await adminFetch(`/api/admin/media/${id}`, editor, { method: "DELETE", origin: "https://evil.example" }),
			403,
		);
	});
});

describe("PATCH a picture's words", () => {
	it("changes alt, caption or credit and purges the live articles it leads; the page shows the new words", async () => {
		const { id } = await uploaded(editor, png(12, 12), { alt: "Old alt" });
		const led = await insertArticle({ slug: "led-by-it", leadImageId: id });
		const embeds = await insertArticle({ slug: "embeds-it" });
		await testDb()
			.insert(schema.articleMedia)
			.values([
				{ articleId: led.id, mediaId: id },
				{ articleId: embeds.id, mediaId: id },
			]);
		const res = await adminFetch(`/api/admin/media/${id}`, editor, {
			method: "PATCH",
			json: { alt: "New alt", credit: "Photo: Samarium" },
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as { alt: string; caption: string; credit: string; purge: { keys: string[] } };
		expect(body).toMatchObject({ alt: "New alt", caption: "", credit: "Photo: Samarium" });
		expect(body.purge.keys).toContain("https://samarium.test/articles/led-by-it");
		// A body's picture carries its own alt text, from the Markdown: that page does not change.
		expect(body.purge.keys).not.toContain("https://samarium.test/articles/embeds-it");
		const page = await (await fetchApp("/articles/led-by-it")).text();
		expect(page).toContain('alt="New alt"');
		expect(page).toContain('<span class="credit">Photo: Samarium</span>');
	});

	it("answers nothing-to-change with purge null; refuses blank alt (400), unknown keys (400), unknown ids (404)", async () => {
		const { id } = await uploaded(editor, png(13, 13), { alt: "Same" });
		const same = await adminFetch(`/api/admin/media/${id}`, editor, { method: "PATCH", json: { alt: "Same" } });
		expect(((await same.json()) as { purge: unknown }).purge).toBeNull();
		await expectJsonError(
			await adminFetch(`/api/admin/media/${id}`, editor, { method: "PATCH", json: { alt: " " } }),
			400,
			["alt"],
		);
		await expectJsonError(
			await adminFetch(`/api/admin/media/${id}`, editor, { method: "PATCH", json: { width: 5 } }),
			400,
		);
		await expectJsonError(
			await adminFetch(`/api/admin/media/${"0".repeat(32)}`, editor, { method: "PATCH", json: { alt: "x" } }),
			404,
		);
	});
});
