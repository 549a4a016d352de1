import { env } from "cloudflare:workers";
import { TEST_ORIGIN } from "./admin/helpers";
import { fetchApp } from "./helpers";

// The picture library in tests: uploads as a browser or client sends them, and an empty bucket.

/** Deletes every object in the MEDIA bucket (Miniflare's R2 persists across the tests of a file). */
export async function clearBucket(): Promise<void> {
	for (;;) {
		const listed = await env.MEDIA.list({ limit: 1000 });
		if (listed.objects.length === 0) return;
		await env.MEDIA.delete(listed.objects.map((o) => o.key));
	}
}

export type UploadInit = {
	name?: string;
	declaredType?: string;
	alt?: string | undefined;
	caption?: string;
	credit?: string;
	/** Leave the `Origin` header out (a cross-site form). */
	origin?: string | null;
	path?: string;
};

/** A multipart upload of `bytes` to POST /api/admin/media (or `path`) with these credentials. */
export function uploadRequest(
	auth: { cookie: string } | { authorization: string },
	bytes: Uint8Array | string | null,
	init: UploadInit = {},
): RequestInit {
	const form = new FormData();
	if (bytes !== null) {
		form.set(
			"file",
			new File([bytes], init.name ?? "picture.bin", { type: init.declaredType ?? "application/octet-stream" }),
		);
	}
	const alt = "alt" in init ? init.alt : "A test picture";
	if (alt !== undefined) form.set("alt", alt);
	if (init.caption !== undefined) form.set("caption", init.caption);
	if (init.credit !== undefined) form.set("credit", init.credit);
	const headers = new Headers(auth);
	const origin = init.origin === undefined ? TEST_ORIGIN : init.origin;
	if ("cookie" in auth && origin !== null) headers.set("origin", origin);
	return { method: "POST", headers, body: form, redirect: "manual" };
}

export function upload(
	auth: { cookie: string } | { authorization: string },
	bytes: Uint8Array | string | null,
	init: UploadInit = {},
): Promise<Response> {
	return fetchApp(init.path ?? "/api/admin/media", uploadRequest(auth, bytes, init));
}

/** Uploads and returns the JSON (throws unless 201 or 200). */
export async function uploaded(
	auth: { cookie: string } | { authorization: string },
	bytes: Uint8Array,
	init: UploadInit = {},
): Promise<{ id: string; url: string; width: number; height: number; type: string; alt: string }> {
	const res = await upload(auth, bytes, init);
	if (res.status !== 201 && res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
	return res.json();
}
