import type * as z from "zod/mini";
import { badRequest } from "./errors";

/** Parses query parameters with a zod schema; any problem is a 400 naming each bad field. */
export function parseQuery<T extends z.ZodMiniType>(schema: T, query: Record<string, string>): z.infer<T> {
	const result = schema.safeParse(query);
	if (result.success) return result.data;
	const fields: Record<string, string> = {};
	for (const issue of result.error.issues) {
		const key = String(issue.path[0] ?? "query");
		fields[key] ??= issue.message;
	}
	throw badRequest("The query parameters are not valid.", fields);
}
