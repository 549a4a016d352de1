import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../types";
import { AdminLayout, type AdminSection, type Flash } from "./Layout";

export type AdminHead = { title: string; current?: AdminSection; flash?: Flash | null };

/**
 * An admin page: the admin layout (never the public one) around `body`, for the signed-in editor
 * the guard found (none on the sign-in page). Rendered in one synchronous pass like the public pages.
 */
export function adminPage(c: Context<AppEnv>, head: AdminHead, body: Child, status?: ContentfulStatusCode): Response {
	const editor = c.get("editor") ?? null;
	const html = (
		<AdminLayout title={head.title} editor={editor} current={head.current} flash={head.flash ?? null}>
			{body}
		</AdminLayout>
	);
	return c.html(`<!DOCTYPE html>${String(html)}`, status);
}
