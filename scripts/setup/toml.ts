// What `npm run setup:remote` reads from and writes to wrangler.toml. Node has no TOML parser and
// the project takes no dependency for one: this reads the few single-line `key = "value"` entries
// setup needs, table by table, and rewrites a value only on its own line, so every comment and
// every other line stays byte for byte. Anything laid out otherwise (a multi-line array, two D1
// bindings named DB, a value that is not a plain string) is reported as not safely editable, and
// setup prints the line to paste instead.

/** One `key = "value"` line, where it is and in which table. */
export type Entry = { table: string; key: string; value: string; line: number };

const HEADER = /^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*(\]\]?)\s*(?:#.*)?$/;
// A basic string with no escapes: every value setup reads or writes is one (names, ids, URLs).
const STRING_ENTRY = /^\s*([A-Za-z0-9_-]+)\s*=\s*"([^"\\]*)"\s*(?:#.*)?$/;
const ANY_ENTRY = /^\s*([A-Za-z0-9_-]+)\s*=/;

/**
 * Calls `visit` for every line that is not a table header, with the table it is in: "" before any
 * header, "vars", "secrets", and "d1_databases#N" for the Nth `[[d1_databases]]` (counting from 0).
 */
function eachLine(text: string, visit: (raw: string, line: number, table: string) => void): void {
	const counts = new Map<string, number>();
	let table = "";
	text.split("\n").forEach((raw, line) => {
		const header = HEADER.exec(raw);
		if (!header) {
			visit(raw, line, table);
			return;
		}
		const name = header[2] ?? "";
		if (header[1] === "[[") {
			const n = counts.get(name) ?? 0;
			counts.set(name, n + 1);
			table = `${name}#${n}`;
		} else {
			table = name;
		}
	});
}

/** Every single-line string entry, with its table (named as eachLine names them). */
export function stringEntries(text: string): Entry[] {
	const entries: Entry[] = [];
	eachLine(text, (raw, line, table) => {
		const entry = STRING_ENTRY.exec(raw);
		if (entry) entries.push({ table, key: entry[1] ?? "", value: entry[2] ?? "", line });
	});
	return entries;
}

/** The lines of one table that assign `key`, whatever the value's form. */
function assignments(text: string, table: string, key: string): number[] {
	const lines: number[] = [];
	eachLine(text, (raw, line, current) => {
		if (current === table && ANY_ENTRY.exec(raw)?.[1] === key) lines.push(line);
	});
	return lines;
}

/** The one string entry `key` of `table`; null when it is missing, repeated or not a plain string. */
export function findEntry(text: string, table: string, key: string): Entry | null {
	const lines = assignments(text, table, key);
	if (lines.length !== 1) return null;
	return stringEntries(text).find((entry) => entry.table === table && entry.line === lines[0]) ?? null;
}

/** `text` with the string value on `entry`'s line replaced; the rest of that line (a comment) stays. */
export function replaceValue(text: string, entry: Entry, value: string): string {
	const lines = text.split("\n");
	const old = lines[entry.line] ?? "";
	const at = old.indexOf(`"${entry.value}"`, old.indexOf("="));
	lines[entry.line] = `${old.slice(0, at)}"${value}"${old.slice(at + entry.value.length + 2)}`;
	return lines.join("\n");
}

export type D1Config = { table: string; name: string; id: Entry | null };

/**
 * The `[[d1_databases]]` table whose binding is DB: its database_name and its database_id line
 * (null when that line cannot be edited safely). Null when there is not exactly one such table.
 */
export function findD1(text: string): D1Config | null {
	const bindings = stringEntries(text).filter(
		(entry) => entry.table.startsWith("d1_databases#") && entry.key === "binding" && entry.value === "DB",
	);
	if (bindings.length !== 1) return null;
	const table = bindings[0]?.table ?? "";
	const name = findEntry(text, table, "database_name");
	if (!name || name.value === "") return null;
	return { table, name: name.value, id: findEntry(text, table, "database_id") };
}

/** `[secrets] required`, when written on one line as an array of plain strings; null otherwise. */
export function requiredSecrets(text: string): string[] | null {
	const lines = assignments(text, "secrets", "required");
	if (lines.length === 0) return [];
	if (lines.length > 1) return null;
	const raw = text.split("\n")[lines[0] ?? 0] ?? "";
	const array = /=\s*\[([^\]]*)\]\s*(?:#.*)?$/.exec(raw)?.[1];
	if (array === undefined) return null;
	const items = array
		.split(",")
		.map((item) => item.trim())
		.filter((item) => item !== "");
	const names = items.map((item) => /^"([A-Za-z_][A-Za-z0-9_]*)"$/.exec(item)?.[1]);
	return names.every((name) => name !== undefined) ? (names as string[]) : null;
}

/** The top-level `routes = [{ pattern = "…", custom_domain = true }]` line: its line and pattern. */
export function findCustomDomainRoute(text: string): { line: number; pattern: string } | null {
	const lines = assignments(text, "", "routes");
	if (lines.length !== 1) return null;
	const line = lines[0] ?? 0;
	const raw = text.split("\n")[line] ?? "";
	const match =
		/^\s*routes\s*=\s*\[\s*\{\s*pattern\s*=\s*"([^"\\]*)"\s*,\s*custom_domain\s*=\s*true\s*\}\s*\]\s*(?:#.*)?$/.exec(
			raw,
		);
	return match ? { line, pattern: match[1] ?? "" } : null;
}

/** `text` with the custom-domain route's pattern replaced (the line found by findCustomDomainRoute). */
export function replaceRoutePattern(text: string, route: { line: number; pattern: string }, pattern: string): string {
	return replaceValue(text, { table: "", key: "routes", value: route.pattern, line: route.line }, pattern);
}
