// Line diffs for the admin: what changed between two versions of an article's text.
// Myers' O((N+M)·D) algorithm over the part that differs (common leading and trailing lines are
// cut off first, which is most of an edited article). The work is bounded: past BUDGET steps the
// differing middle is shown as one block removed and one block added, which is still correct,
// only less precise, so a pasted-over 100,000-character body cannot eat the Worker's CPU time.

export type DiffOp = "same" | "add" | "del";
export type DiffLine = { op: DiffOp; text: string };

/** Upper bound on Myers' inner steps, (N+M)·D; a few milliseconds of CPU. */
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
	const midA = left.slice(start, endA);
	const midB = right.slice(start, endB);
	out.push(...(myers(midA, midB) ?? replaceBlock(midA, midB)));
	for (let i = endA; i < left.length; i += 1) out.push({ op: "same", text: left[i] as string });
	return out;
}

function replaceBlock(a: string[], b: string[]): DiffLine[] {
	return [...a.map((text) => ({ op: "del" as const, text })), ...b.map((text) => ({ op: "add" as const, text }))];
}

/**
 * Myers' greedy shortest edit script, keeping the furthest-reaching x per diagonal for each edit
 * distance d so the path can be walked back. Returns null when it would exceed BUDGET.
 */
function myers(a: string[], b: string[]): DiffLine[] | null {
	const n = a.length;
	const m = b.length;
	if (n === 0 || m === 0) return replaceBlock(a, b);

	// Lines compared as small integers: one string comparison per distinct line instead of per step.
	const ids = new Map<string, number>();
	const intern = (line: string) => {
		let id = ids.get(line);
		if (id === undefined) {
			id = ids.size;
			ids.set(line, id);
		}
		return id;
	};
	const xa = Int32Array.from(a, intern);
	const xb = Int32Array.from(b, intern);

	const maxD = Math.min(n + m, Math.floor(BUDGET / (n + m)));
	const offset = maxD + 1;
	const v = new Int32Array(2 * maxD + 3);
	// trace[d] holds v for diagonals -d-1..d+1 as it was before step d.
	const trace: Int32Array[] = [];

	for (let d = 0; d <= maxD; d += 1) {
		trace.push(v.slice(offset - d - 1, offset + d + 2));
		for (let k = -d; k <= d; k += 2) {
			const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
			let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
			let y = x - k;
			while (x < n && y < m && xa[x] === xb[y]) {
				x += 1;
				y += 1;
			}
			v[offset + k] = x;
			if (x >= n && y >= m) return backtrack(a, b, trace, d);
		}
	}
	return null;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], lastD: number): DiffLine[] {
	const out: DiffLine[] = [];
	let x = a.length;
	let y = b.length;
	for (let d = lastD; d >= 0; d -= 1) {
		const row = trace[d] as Int32Array;
		const at = (k: number) => row[k + d + 1] as number;
		const k = x - y;
		const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
		const prevK = down ? k + 1 : k - 1;
		const prevX = at(prevK);
		const prevY = prevX - prevK;
		while (x > prevX && y > prevY) {
			x -= 1;
			y -= 1;
			out.push({ op: "same", text: a[x] as string });
		}
		if (d > 0) {
			if (down) {
				y -= 1;
				out.push({ op: "add", text: b[y] as string });
			} else {
				x -= 1;
				out.push({ op: "del", text: a[x] as string });
			}
		}
	}
	return out.reverse();
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
