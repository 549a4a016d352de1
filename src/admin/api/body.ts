import type { Context } from "hono";
import { readJsonObject, rejectUnknownKeys } from "../../lib/validation";
import type { AppEnv } from "../../types";

/** The JSON object body, refusing keys the endpoint does not know (a typo is not ignored). */
export async function body(c: Context<AppEnv>, known: readonly string[]): Promise<Record<string, unknown>> {
	const input = await readJsonObject(c);
	rejectUnknownKeys(input, known);
	return input;
}
