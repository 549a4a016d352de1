import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { PurgeReport } from "../../cache/purge";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../../types";
import { describePurge, purgeFailed } from "../services/purge";
import type { FormState } from "../views/Field";
import type { AdminSection, Flash } from "../views/Layout";
import { adminPage } from "../views/render";
import { readFlash } from "./flash";

// What the admin's form screens share: a page in the admin's layout with the flash of the
// previous redirect, a form shown again with what was refused, and a save's message.

export async function page(
	c: Context<AppEnv>,
	title: string,
	current: AdminSection,
	body: Child,
	status?: ContentfulStatusCode,
) {
	return adminPage(c, { title, current, flash: await readFlash(c) }, body, status);
}

/** A save's message; saved either way, but readers may still get the old copy, and the editor must know that. */
export function saved(what: string, purge: PurgeReport | null): Flash {
	if (!purge) return { kind: "ok", text: what };
	return { kind: purgeFailed(purge) ? "error" : "ok", text: `${what} ${describePurge(purge)}` };
}

/** A refusal the form can show next to the input (bad input, a clash); anything else propagates. */
export function formRefusal(err: unknown): AppError | null {
	return err instanceof AppError && (err.status === 400 || err.status === 409) ? err : null;
}

export function formState<T>(values: T, err?: AppError): FormState<T> {
	if (!err) return { values };
	return { values, error: err.message, ...(err.fields ? { fields: err.fields } : {}) };
}
