// Line diffs for the admin: what changed between two versions of an article's text.
// jsdiff (Myers' O((N+M)·D) algorithm) over the part that differs: common leading and trailing
// lines are cut off first, which is most of an edited article. The work is bounded: past BUDGET
// steps the differing middle is shown as one block removed and one block added, which is still
// correct, only less precise, so a pasted-over 100,000-character body cannot eat the Worker's CPU time.

import { diffArrays } from "diff";

export type DiffOp = "same" | "add" | "del";
export type DiffLine = { op: DiffOp; text: string };

/** Upper bound on Myers' inner steps, (N+M)·D. */
const BUDGET = 4_000_000;

function splitLines(text: string): string[] {
	return text === "" ? [] : text.replace(/\r\n?/g, "\n").split("\n");
}

/** The lines of `a` and `b` as they differ: every line of both, each once, in order. */
export function diffLines(a: string, b: string): DiffLine[] {
	const left = splitLines(a);
	const right = splitLines(b);

	let start = 0;
	while (start < left.length && start < right.length && left[start] === right[start]) start += 1;
	let endA = left.length;
	let endB = right.length;
	while (endA > start && endB > start && left[endA - 1] === right[endB - 1]) {
		endA -= 1;
		endB -= 1;
	}

	const out: DiffLine[] = [];
	for (let i = 0; i < start; i += 1) out.push({ op: "same", text: left[i] as string });
	out.push(...middle(left.slice(start, endA), right.slice(start, endB)));
	for (let i = endA; i < left.length; i += 1) out.push({ op: "same", text: left[i] as string });
	return out;
}

function replaceBlock(a: string[], b: string[]): DiffLine[] {
	return [...a.map((text) => ({ op: "del" as const, text })), ...b.map((text) => ({ op: "add" as const, text }))];
}

/** A shortest edit script for lines that share no first or last line, or one block each past BUDGET. */
function middle(a: string[], b: string[]): DiffLine[] {
	if (a.length === 0 || b.length === 0) return replaceBlock(a, b);
	// An edit distance D costs about (N+M)·D steps; jsdiff answers undefined past maxEditLength.
	const changes = diffArrays(a, b, { maxEditLength: Math.floor(BUDGET / (a.length + b.length)) });
	if (!changes) return replaceBlock(a, b);
	const out: DiffLine[] = [];
	for (const change of changes) {
		const op: DiffOp = change.added ? "add" : change.removed ? "del" : "same";
		for (const text of change.value) out.push({ op, text });
	}
	return out;
}

export type DiffRow = DiffLine | { op: "gap"; count: number };

/**
 * A diff for reading: runs of unchanged lines longer than twice `context` are folded into a gap
 * that says how many lines it hides, keeping `context` lines on each side of every change.
 */
export function foldUnchanged(lines: DiffLine[], context = 3): DiffRow[] {
	const out: DiffRow[] = [];
	let i = 0;
	while (i < lines.length) {
		if ((lines[i] as DiffLine).op !== "same") {
			out.push(lines[i] as DiffLine);
			i += 1;
			continue;
		}
		let j = i;
		while (j < lines.length && (lines[j] as DiffLine).op === "same") j += 1;
		const keepBefore = i === 0 ? 0 : context;
		const keepAfter = j === lines.length ? 0 : context;
		if (j - i > keepBefore + keepAfter + 1) {
			out.push(...lines.slice(i, i + keepBefore));
			out.push({ op: "gap", count: j - i - keepBefore - keepAfter });
			out.push(...lines.slice(j - keepAfter, j));
		} else {
			out.push(...lines.slice(i, j));
		}
		i = j;
	}
	return out;
}

/** How many lines were added and removed. */
export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
	let added = 0;
	let removed = 0;
	for (const line of lines) {
		if (line.op === "add") added += 1;
		else if (line.op === "del") removed += 1;
	}
	return { added, removed };
}
