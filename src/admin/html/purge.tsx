import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { PurgeReport } from "../../cache/purge";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { readForm } from "../params";
import { requestPurge } from "../services/purge";
import type { FormState } from "../views/Field";
import { type PurgeFormValues, PurgePage } from "../views/PurgePage";
import { formRefusal, formState, page } from "./screen";

/** A purge an editor asks for: some articles' slugs, or every cached copy of the site. */
export const purge = new Hono<AppEnv>();

function purgePage(
	c: Context<AppEnv>,
	form: FormState<PurgeFormValues>,
	report?: PurgeReport,
	status?: ContentfulStatusCode,
) {
	return page(c, "Purge", "purge", <PurgePage form={form} report={report} />, status);
}

purge.get("/purge", (c) => purgePage(c, { values: { slugs: "" } }));

// The report (every address and tag purged) is shown on the response itself: it is too long for
// a message after a redirect, and repeating a purge by reloading does no harm (it is logged again).
purge.post("/purge", async (c) => {
	const form = await readForm(c);
	const values = { slugs: form.slugs ?? "" };
	const request =
		form.intent === "all" ? { all: true } : { slugs: values.slugs.split(/[\s,]+/).filter((slug) => slug !== "") };
	try {
		const report = await requestPurge(depsOf(c), request);
		return purgePage(c, { values: form.intent === "all" ? { slugs: "" } : values }, report);
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return purgePage(c, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
	}
});
