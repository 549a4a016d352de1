// How `npm run search:rebuild` cuts its work into D1-sized pieces. Pure, so that the limits are
// tested without wrangler: every call it makes must fit D1's limits and the operating system's.
import { sqlValue } from "../lib/sql.ts";

/**
 * The most SQL one `wrangler d1 execute --command` carries, in UTF-8 bytes. D1 refuses a statement
 * over 100 KB, and Linux refuses to start a process with one argument over 128 KiB
 * (MAX_ARG_STRLEN), which --command is; below both, with room for the statement around a value.
 */
export const COMMAND_BYTES = 90_000;
/** Ids per window: one size scan (body_text) and one drift check (index) each, small answers. */
export const WINDOW_IDS = 5_000;
/** The most body data one page of reads brings back (markdown and text), in bytes. */
export const PAGE_BYTES = 4_000_000;
/**
 * One rebuild batch: at most this many articles and this much text to tokenize, well inside the
 * ~30 s D1 gives a query even for the longest bodies (100,000 characters each).
 */
export const CHUNK_IDS = 500;
export const CHUNK_BYTES = 4_000_000;

export const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

export type Sized = { id: number; bytes: number };
export type IdRange = { from: number; to: number };

/**
 * Consecutive id ranges covering [window.from, window.to] with at most `maxIds` articles and
 * `maxBytes` of them each (an article bigger than that gets a range of its own). Ranges are
 * contiguous, so that index rows of ids with no article (strays) fall inside one too.
 */
export function planRanges(window: IdRange, sized: Sized[], maxIds: number, maxBytes: number): IdRange[] {
	const ranges: IdRange[] = [];
	let from = window.from;
	let count = 0;
	let total = 0;
	for (const { id, bytes: size } of sized) {
		if (id < window.from || id > window.to) continue;
		if (count > 0 && (count + 1 > maxIds || total + size > maxBytes)) {
			ranges.push({ from, to: id - 1 });
			from = id;
			count = 0;
			total = 0;
		}
		count++;
		total += size;
	}
	ranges.push({ from, to: window.to });
	return ranges;
}

/** Windows of `size` ids covering [from, to]. */
export function windows(from: number, to: number, size = WINDOW_IDS): IdRange[] {
	const out: IdRange[] = [];
	for (let start = from; start <= to; start += size) out.push({ from: start, to: Math.min(to, start + size - 1) });
	return out;
}

/** A body_text to write: guarded by the version it was computed from. */
export type BodyTextWrite = { id: number; version: number; text: string };

/**
 * The guarded UPDATE of one body_text. The guard is the version the markdown was read at: every
 * save bumps it (src/db/queries/article-writes.ts), so a save made since then (which wrote its
 * own, right, body_text) is never overwritten with text from the markdown it replaced.
 */
export function bodyTextUpdate(write: BodyTextWrite): string {
	return `UPDATE articles SET body_text = ${sqlValue(write.text)} WHERE id = ${sqlValue(write.id)} AND version = ${sqlValue(write.version)} RETURNING id`;
}

/** Groups of whole statements, each group within `budget` bytes once joined; a longer statement is refused. */
export function groupStatements(statements: string[], budget = COMMAND_BYTES): string[][] {
	const groups: string[][] = [];
	let group: string[] = [];
	let size = 0;
	for (const statement of statements) {
		const length = bytes(statement) + 2;
		if (length > budget) throw new Error(`a statement of ${length} bytes is over the ${budget}-byte budget`);
		if (size + length > budget && group.length > 0) {
			groups.push(group);
			group = [];
			size = 0;
		}
		group.push(statement);
		size += length;
	}
	if (group.length > 0) groups.push(group);
	return groups;
}

/**
 * The statements writing one body_text too long for one call, each for a call of its own: the
 * first sets the text's first piece, each next one appends a piece while the text holds exactly
 * the pieces before it (length() counts characters, so pieces end between code points).
 */
export function bodyTextPieces(write: BodyTextWrite, budget = COMMAND_BYTES): string[] {
	const guard = `id = ${sqlValue(write.id)} AND version = ${sqlValue(write.version)}`;
	// The statement around a piece, as long as it can get (the length literal at its widest).
	const overhead = bytes(
		`UPDATE articles SET body_text = body_text || '' WHERE ${guard} AND length(body_text) = 999999999 RETURNING id`,
	);
	const room = budget - overhead;
	const statements: string[] = [];
	let piece = "";
	let pieceBytes = 0;
	let done = 0;
	let pieceChars = 0;
	const flush = () => {
		const value = sqlValue(piece);
		statements.push(
			statements.length === 0
				? `UPDATE articles SET body_text = ${value} WHERE ${guard} RETURNING id`
				: `UPDATE articles SET body_text = body_text || ${value} WHERE ${guard} AND length(body_text) = ${done} RETURNING id`,
		);
		done += pieceChars;
		piece = "";
		pieceBytes = 0;
		pieceChars = 0;
	};
	for (const ch of write.text) {
		// A quote is doubled inside the literal.
		const size = ch === "'" ? 2 : bytes(ch);
		if (pieceBytes + size > room) flush();
		piece += ch;
		pieceBytes += size;
		pieceChars++;
	}
	if (piece !== "" || statements.length === 0) flush();
	return statements;
}
