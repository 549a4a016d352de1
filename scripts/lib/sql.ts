// SQL literals for the statements scripts hand to wrangler (the seed, the editor CLI, the bench).
// Pure, with no Node APIs, so that the seed builder can run inside workerd in the tests too.

/** A value as an SQL literal: NULL, an integer (anything else is refused) or a quoted string. */
export function sqlValue(value: string | number | null): string {
	if (value === null) return "NULL";
	if (typeof value === "number") {
		if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
		return String(value);
	}
	return `'${value.replace(/'/g, "''")}'`;
}
