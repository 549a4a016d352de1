import type { Context } from "hono";
import { AppError, badRequest } from "../lib/errors";
import { MEDIA_FORM_OVERHEAD, MEDIA_MAX_BYTES } from "./limits";

// A picture upload's body: multipart/form-data with `file` and the picture's words. The admin's
// 1 MiB body limit does not apply to it (guard/body-limit.ts); this is its own limit, checked on
// the Content-Length first and then on every byte as it arrives, so a header that lies (or none)
// cannot get more than the limit into memory.

export type Upload = { file: Uint8Array | null; fields: Record<string, string> };

const MB = MEDIA_MAX_BYTES / 1024 / 1024;

export function tooLarge(): AppError {
	return new AppError(413, `A picture may be at most ${MB} MiB.`);
}

export async function readUpload(c: Context): Promise<Upload> {
	const max = MEDIA_MAX_BYTES + MEDIA_FORM_OVERHEAD;
	const declared = c.req.header("content-length");
	if (declared !== undefined && Number(declared) > max) throw tooLarge();
	const type = c.req.header("content-type") ?? "";
	const body = c.req.raw.body;
	if (!/^multipart\/form-data\s*;/i.test(type) || !body) {
		throw badRequest("Send the picture as multipart/form-data, with the file in the `file` field and its `alt` text.");
	}

	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => {});
			throw tooLarge();
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}

	let form: FormData;
	try {
		form = await new Response(bytes, { headers: { "content-type": type } }).formData();
	} catch {
		throw badRequest("The form could not be read: it is not well-formed multipart/form-data.");
	}
	const fields: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === "string" && !(key in fields)) fields[key] = value;
	const file = form.get("file");
	if (file === null || typeof file === "string") return { file: null, fields };
	if (file.size > MEDIA_MAX_BYTES) throw tooLarge();
	return { file: new Uint8Array(await file.arrayBuffer()), fields };
}
