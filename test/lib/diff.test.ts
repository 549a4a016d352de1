import { describe, expect, it } from "vitest";
import { type DiffLine, diffLines, diffStats, foldUnchanged } from "../../src/lib/diff";

const left = (lines: DiffLine[]) =>
	lines
		.filter((l) => l.op !== "add")
		.map((l) => l.text)
		.join("\n");
const right = (lines: DiffLine[]) =>
	lines
		.filter((l) => l.op !== "del")
		.map((l) => l.text)
		.join("\n");

/** Length of the longest common subsequence of lines, by the textbook table (small inputs only). */
function lcsLength(a: string[], b: string[]): number {
	const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
	for (let i = 1; i <= a.length; i += 1) {
		for (let j = 1; j <= b.length; j += 1) {
			const row = table[i] as number[];
			const up = table[i - 1] as number[];
			row[j] = a[i - 1] === b[j - 1] ? (up[j - 1] as number) + 1 : Math.max(up[j] as number, row[j - 1] as number);
		}
	}
	return (table[a.length] as number[])[b.length] as number;
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
	let s = seed;
	return () => {
		s = (s + 0x6d2b79f5) | 0;
		let t = Math.imul(s ^ (s >>> 15), 1 | s);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe("diffLines", () => {
	it("marks one changed line between unchanged ones", () => {
		expect(diffLines("a\nb\nc", "a\nB\nc")).toEqual([
			{ op: "same", text: "a" },
			{ op: "del", text: "b" },
			{ op: "add", text: "B" },
			{ op: "same", text: "c" },
		]);
	});

	it("finds insertions and deletions in the middle", () => {
		expect(diffLines("one\ntwo\nthree\nfour", "one\nthree\nthree and a half\nfour")).toEqual([
			{ op: "same", text: "one" },
			{ op: "del", text: "two" },
			{ op: "same", text: "three" },
			{ op: "add", text: "three and a half" },
			{ op: "same", text: "four" },
		]);
	});

	it("treats empty text as no lines", () => {
		expect(diffLines("", "")).toEqual([]);
		expect(diffLines("", "new")).toEqual([{ op: "add", text: "new" }]);
		expect(diffLines("old\ntext", "")).toEqual([
			{ op: "del", text: "old" },
			{ op: "del", text: "text" },
		]);
	});

	// Several shortest edit scripts exist for each of these; the admin's pages show the one the
	// hand-written Myers chose before jsdiff, and a library upgrade must not quietly pick another.
	it.each([
		["x\ny", "y\nx", ["-x", " y", "+x"]],
		["a\nb\nc", "c\nb\na", ["-a", "-b", " c", "+b", "+a"]],
		["a\nb\na\nb", "b\na\nb\na", ["-a", " b", " a", " b", "+a"]],
		["one\n\ntwo\n\nthree", "one\n\n\ntwo\nthree\n", [" one", " ", "-two", " ", "+two", " three", "+"]],
		["p\nq\nr\np\nq", "q\np\nr\nq\np", ["-p", " q", "-r", " p", "+r", " q", "+p"]],
	])("aligns %j with %j as before", (a, b, expected) => {
		const sign = { same: " ", add: "+", del: "-" } as const;
		expect(diffLines(a, b).map((l) => `${sign[l.op]}${l.text}`)).toEqual(expected);
	});

	it("treats CRLF like LF", () => {
		expect(diffLines("a\r\nb", "a\nb")).toEqual([
			{ op: "same", text: "a" },
			{ op: "same", text: "b" },
		]);
	});

	it("is a shortest edit script on random inputs (checked against the LCS table)", () => {
		const next = random(7);
		const alphabet = ["a", "b", "c", "d", ""];
		for (let round = 0; round < 300; round += 1) {
			const make = () =>
				Array.from({ length: Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)] as string);
			const a = make();
			const b = make();
			const lines = diffLines(a.join("\n"), b.join("\n"));
			// The empty text splits to no lines, so compare through the same split.
			const split = (x: string[]) => (x.join("\n") === "" ? [] : x.join("\n").split("\n"));
			expect(left(lines)).toBe(split(a).join("\n"));
			expect(right(lines)).toBe(split(b).join("\n"));
			expect(lines.filter((l) => l.op === "same").length).toBe(lcsLength(split(a), split(b)));
		}
	});

	it("stays fast and correct on a 100,000-character body with scattered edits", () => {
		const paragraphs = Array.from(
			{ length: 1_500 },
			(_, i) => `Paragraph ${i}: the quick brown fox jumps over the lazy dog, again.`,
		);
		const before = paragraphs.join("\n");
		expect(before.length).toBeGreaterThan(100_000);
		const edited = paragraphs.map((p, i) => (i % 50 === 0 ? `${p} (edited)` : p));
		edited.splice(700, 0, "A new paragraph in the middle.");
		const after = edited.join("\n");

		const started = performance.now();
		const lines = diffLines(before, after);
		const elapsed = performance.now() - started;

		expect(left(lines)).toBe(before);
		expect(right(lines)).toBe(after);
		expect(diffStats(lines)).toEqual({ added: 31, removed: 30 });
		expect(elapsed).toBeLessThan(1_000);
	});

	it("falls back to one removed and one added block when two large texts share nothing", () => {
		const before = Array.from({ length: 3_000 }, (_, i) => `old line ${i} ${"x".repeat(20)}`).join("\n");
		const after = Array.from({ length: 3_000 }, (_, i) => `new line ${i} ${"y".repeat(20)}`).join("\n");
		const started = performance.now();
		const lines = diffLines(`same start\n${before}\nsame end`, `same start\n${after}\nsame end`);
		const elapsed = performance.now() - started;

		expect(lines[0]).toEqual({ op: "same", text: "same start" });
		expect(lines.at(-1)).toEqual({ op: "same", text: "same end" });
		expect(diffStats(lines)).toEqual({ added: 3_000, removed: 3_000 });
		expect(right(lines)).toBe(`same start\n${after}\nsame end`);
		expect(elapsed).toBeLessThan(1_000);
	});
});

describe("foldUnchanged", () => {
	const same = (n: number, prefix = "s") =>
		Array.from({ length: n }, (_, i) => ({ op: "same" as const, text: `${prefix}${i}` }));

	it("keeps context around a change and folds the rest into gaps", () => {
		const lines: DiffLine[] = [...same(10, "a"), { op: "add", text: "new" }, ...same(10, "b")];
		const rows = foldUnchanged(lines, 2);
		expect(rows).toEqual([
			{ op: "gap", count: 8 },
			{ op: "same", text: "a8" },
			{ op: "same", text: "a9" },
			{ op: "add", text: "new" },
			{ op: "same", text: "b0" },
			{ op: "same", text: "b1" },
			{ op: "gap", count: 8 },
		]);
	});

	it("does not fold a run that is barely longer than its context", () => {
		const lines: DiffLine[] = [{ op: "del", text: "x" }, ...same(5), { op: "add", text: "y" }];
		expect(foldUnchanged(lines, 2)).toEqual(lines);
	});

	it("folds identical texts into one gap", () => {
		expect(foldUnchanged(same(4))).toEqual([{ op: "gap", count: 4 }]);
	});
});
