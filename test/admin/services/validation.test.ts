import { describe, expect, it } from "vitest";
import type * as z from "zod/mini";
import {
	check,
	checkSent,
	type Fields,
	id,
	idParam,
	isId,
	line,
	markdown,
	optionalLine,
	parseId,
	slug,
	text,
} from "../../../src/admin/validation";

// The admin's validation toolkit (src/admin/validation.ts): what each builder accepts, what it
// makes of it, and the message an editor reads for each thing it refuses.

/** The value a schema gives, or the message of its first problem, as `check` reports it. */
function run(schema: z.ZodMiniType, value: unknown): { ok: unknown } | { message: string } {
	const fields: Fields = {};
	const out = check(fields, "field", schema, value);
	return "field" in fields ? { message: fields.field as string } : { ok: out };
}
const ok = (value: unknown) => ({ ok: value });
const message = (text: string) => ({ message: text });

const CONTROL = "Line breaks and other control characters are not allowed.";
const SLUG = "Use lowercase letters, digits and single hyphens, at most 120 characters.";

describe("text", () => {
	it.each<[string, unknown, ReturnType<typeof run>]>([
		["trims", "  Rare earth ", ok("Rare earth")],
		["keeps inner line breaks", "a\nb", ok("a\nb")],
		["counts after trimming", ` ${"x".repeat(10)} `, ok("x".repeat(10))],
		["refuses empty text", "", message("Required.")],
		["refuses blank text", " \n ", message("Required.")],
		["refuses null", null, message("Must be text.")],
		["refuses a number", 5, message("Must be text.")],
		["refuses a list", ["a"], message("Must be text.")],
		["says how long text is", "x".repeat(11), message("At most 10 characters (this is 11).")],
	])("%s", (_name, value, expected) => {
		expect(run(text(10), value)).toEqual(expected);
	});
});

describe("line", () => {
	it.each<[string, unknown, ReturnType<typeof run>]>([
		["trims, surrounding line breaks too", "\n Energy \r\n", ok("Energy")],
		["accepts any letter", "Région Île", ok("Région Île")],
		["refuses a line break inside", "Ener\ngy", message(CONTROL)],
		["refuses a tab inside", "Ener\tgy", message(CONTROL)],
		["refuses an escape inside", "E\u001b[31mg", message(CONTROL)],
		["refuses a DEL inside", "Ener\u007fgy", message(CONTROL)],
		["refuses nothing sent", undefined, message("Required.")],
		["refuses null", null, message("Required.")],
		["refuses empty text", "", message("Required.")],
		["refuses blank text", "   ", message("Required.")],
		["refuses a number", 5, message("Must be text.")],
		["says how long text is", "x".repeat(11), message("At most 10 characters (this is 11).")],
		[
			"reports length before control characters",
			`${"x".repeat(10)}\ty`,
			message("At most 10 characters (this is 12)."),
		],
	])("%s", (_name, value, expected) => {
		expect(run(line(10), value)).toEqual(expected);
	});
});

describe("optionalLine", () => {
	const ONE_LINE = "One line: line breaks and other control characters are not allowed.";
	it.each<[string, unknown, ReturnType<typeof run>]>([
		["trims, surrounding line breaks too", "\n A line \r\n", ok("A line")],
		["takes empty text for none", "", ok("")],
		["makes blank text none", "   ", ok("")],
		["takes exactly max characters", "x".repeat(10), ok("x".repeat(10))],
		["refuses a line break inside", "a\nb", message(ONE_LINE)],
		["refuses a NUL inside", "a\u0000b", message(ONE_LINE)],
		["refuses a Unicode line separator", "a\u2028b", message(ONE_LINE)],
		["refuses a Unicode paragraph separator", "a\u2029b", message(ONE_LINE)],
		["keeps bidirectional marks (text, not breaks)", "a\u200fb", ok("a\u200fb")],
		["refuses null", null, message("Must be text (an empty one for none).")],
		["refuses a number", 5, message("Must be text (an empty one for none).")],
		["says how long text is", "x".repeat(11), message("At most 10 characters (this is 11).")],
	])("%s", (_name, value, expected) => {
		expect(run(optionalLine(10), value)).toEqual(expected);
	});
});

describe("markdown", () => {
	it("stores every line ending as \\n and keeps surrounding space", () => {
		expect(run(markdown(20), "a\r\nb\rc\n")).toEqual(ok("a\nb\nc\n"));
		expect(run(markdown(20), "  indented\n")).toEqual(ok("  indented\n"));
	});

	it("counts the length after line endings are normalised", () => {
		expect(run(markdown(20), "x\r\n".repeat(10))).toEqual(ok("x\n".repeat(10)));
		expect(run(markdown(20), `${"x\n".repeat(10)}y`)).toEqual(message("At most 20 characters (this is 21)."));
	});

	it("refuses blank text, and null unless it stands for empty", () => {
		expect(run(markdown(20), " \n\t ")).toEqual(message("Required."));
		expect(run(markdown(20), "")).toEqual(message("Required."));
		expect(run(markdown(20), null)).toEqual(message("Must be text."));
		expect(run(markdown(20, { nullIsEmpty: true }), null)).toEqual(message("Required."));
		expect(run(markdown(20, { nullIsEmpty: true }), undefined)).toEqual(message("Required."));
		expect(run(markdown(20, { nullIsEmpty: true }), 5)).toEqual(message("Must be text."));
	});

	it("groups the limit's digits always, and the length's only when asked", () => {
		const long = "x".repeat(100_001);
		expect(run(markdown(100_000), long)).toEqual(message("At most 100,000 characters (this is 100001)."));
		expect(run(markdown(100_000, { groupCount: true }), long)).toEqual(
			message("At most 100,000 characters (this is 100,001)."),
		);
	});
});

describe("slug", () => {
	it.each<[string, unknown, ReturnType<typeof run>]>([
		["trims", " rare-earths ", ok("rare-earths")],
		["accepts the longest", "x".repeat(120), ok("x".repeat(120))],
		["refuses one too long", "x".repeat(121), message(SLUG)],
		["refuses capitals", "Energy", message(SLUG)],
		["refuses a double hyphen", "rare--earths", message(SLUG)],
		["refuses a leading hyphen", "-energy", message(SLUG)],
		["refuses a space inside", "rare earths", message(SLUG)],
		["refuses a number", 5, message(SLUG)],
		["refuses blank text as malformed, not missing", "  ", message(SLUG)],
		["refuses empty text", "", message("Required.")],
		["refuses nothing sent", undefined, message("Required.")],
		["refuses null", null, message("Required.")],
	])("%s", (_name, value, expected) => {
		expect(run(slug(), value)).toEqual(expected);
	});
});

describe("the id rule", () => {
	const accepted: [string, unknown, number][] = [
		["a JSON number", 12, 12],
		["the largest safe integer", 2 ** 53 - 1, 2 ** 53 - 1],
		["a number written in exponent form in JSON", 1e3, 1000],
		["one digit", "7", 7],
		["fifteen digits", "999999999999999", 999_999_999_999_999],
		["leading zeros", "007", 7],
	];
	const refused: [string, unknown][] = [
		["zero", 0],
		['"0"', "0"],
		["a negative number", -1],
		["a fraction", 1.5],
		['"1.5"', "1.5"],
		["an unsafe integer", 2 ** 53],
		["NaN", Number.NaN],
		["Infinity", Number.POSITIVE_INFINITY],
		['"1e3"', "1e3"],
		["sixteen digits", "1000000000000000"],
		["surrounding space", " 1"],
		["a sign", "+1"],
		["hexadecimal", "0x10"],
		["full-width digits", "１２"],
		["true", true],
		["a list", [1]],
	];

	it.each(accepted)("accepts %s", (_name, input, value) => {
		expect(parseId(input)).toBe(value);
		expect(run(id(), input)).toEqual(ok(value));
	});

	it.each(refused)("refuses %s", (_name, input) => {
		expect(parseId(input)).toBeNull();
		expect(run(id(), input)).toEqual(message("Must be a whole number."));
		expect(run(id("Bad id.", "No id."), input)).toEqual(message("Bad id."));
	});

	it("tells an empty id from a malformed one", () => {
		for (const input of [undefined, null, ""]) {
			expect(run(id(), input)).toEqual(message("Required."));
			expect(run(id("Bad id.", "No id."), input)).toEqual(message("No id."));
		}
	});

	it("isId takes safe positive integers only", () => {
		expect([1, 2 ** 53 - 1].map(isId)).toEqual([true, true]);
		expect([0, -1, 1.5, 2 ** 53, Number.NaN].map(isId)).toEqual([false, false, false, false, false]);
	});

	it("idParam answers 404 naming the thing for a path segment that is no id", () => {
		expect(idParam("42", "topic")).toBe(42);
		for (const segment of ["0", "1e3", "abc", "1000000000000000", ""]) {
			expect(() => idParam(segment, "topic")).toThrow(
				expect.objectContaining({ status: 404, message: "There is no topic with this id." }),
			);
		}
	});
});

describe("check and checkSent", () => {
	it("check gives the output, or undefined with the first problem in fields", () => {
		const fields: Fields = { other: "kept" };
		expect(check(fields, "name", line(10), " Energy ")).toBe("Energy");
		expect(check(fields, "name", line(3), "Energy\n\tx")).toBeUndefined();
		expect(fields).toEqual({ other: "kept", name: "At most 3 characters (this is 9)." });
	});

	const schemas = { title: text(10), slug: slug(), version: id() };

	it("checks only the fields sent, and reports problems in the schemas' order", () => {
		const fields: Fields = {};
		const parsed = checkSent(schemas, { version: "x", title: "" }, fields);
		expect(parsed).toEqual({});
		expect(Object.entries(fields)).toEqual([
			["title", "Required."],
			["version", "Must be a whole number."],
		]);
	});

	it("leaves out what was left out, and what was refused; null is sent, not left out", () => {
		const fields: Fields = {};
		const parsed = checkSent(schemas, { slug: " energy ", title: null, version: undefined }, fields);
		expect(parsed).toEqual({ slug: "energy" });
		expect("title" in parsed || "version" in parsed).toBe(false);
		expect(fields).toEqual({ title: "Must be text." });
	});

	it("ignores keys it has no schema for", () => {
		const fields: Fields = {};
		const input = { title: "Hi", extra: "x" } as { title: string };
		expect(checkSent(schemas, input, fields)).toEqual({ title: "Hi" });
		expect(fields).toEqual({});
	});
});
