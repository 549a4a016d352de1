// The Nu Html Checker (the W3C's validator, from the vnu-jar package) over many documents in one
// Java run: the JVM takes seconds to start, each document a few milliseconds.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The jar the package ships (its postinstall, which would fetch a Java of its own, is not allowed to run). */
const VNU_JAR = fileURLToPath(import.meta.resolve("vnu-jar/build/dist/vnu.jar"));

/**
 * -Xss: the checker needs a thread stack of 512 KiB at least (its own advice; below that it stops
 * with a StackOverflowError); -XX:TieredStopAtLevel=1: the quick JIT only, which halves a run this
 * short (measured: about 6 s instead of 12 s for 31 pages on two busy cores).
 */
const JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1"];
/**
 * --also-check-svg: without it vnu skips .svg files; --stdout: the JSON report goes to stdout
 * rather than stderr; --exit-zero-always: the caller decides from the messages what fails.
 */
const VNU_OPTIONS = ["--format", "json", "--stdout", "--exit-zero-always", "--also-check-svg"];

export type NuDocument = { body: string; kind: "html" | "svg" };

/** One message of vnu's JSON output; `type` "info" with `subType` "warning" is a warning. */
export type NuMessage = {
	type: "error" | "info" | "non-document-error";
	subType?: string;
	message: string;
	url?: string;
	lastLine?: number;
	firstColumn?: number;
	extract?: string;
};

/** Whether a message fails the check: errors in a document, and the checker failing to read one. */
export const isNuFailure = (m: NuMessage) => m.type === "error" || m.type === "non-document-error";

/**
 * Checks every document and returns its messages, in the documents' order; a last list holds
 * messages about no document (the checker's own trouble). Throws when Java or the checker cannot
 * run at all (no `java` on PATH: install Debian's default-jre-headless).
 */
export function nuCheck(documents: NuDocument[]): { byDocument: NuMessage[][]; other: NuMessage[] } {
	const dir = mkdtempSync(join(tmpdir(), "samarium-nu-"));
	try {
		const files = documents.map((doc, i) => {
			const file = join(dir, `${i}.${doc.kind}`);
			writeFileSync(file, doc.body);
			return file;
		});
		const result = spawnSync("java", [...JAVA_OPTIONS, "-jar", VNU_JAR, ...VNU_OPTIONS, ...files], {
			encoding: "utf8",
			maxBuffer: 64 * 1024 * 1024,
		});
		if (result.error) throw new Error(`could not run java (install default-jre-headless): ${result.error.message}`);
		// With --exit-zero-always, any other exit is the checker itself failing (a stack overflow
		// leaves an empty report behind it): never read as "no errors".
		let report: { messages: NuMessage[] } | undefined;
		try {
			report = JSON.parse(result.stdout) as { messages: NuMessage[] };
		} catch {}
		if (result.status !== 0 || !report) {
			throw new Error(
				`the Nu checker failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
			);
		}
		const byDocument = documents.map((): NuMessage[] => []);
		const other: NuMessage[] = [];
		for (const message of report.messages) {
			const index = message.url ? Number.parseInt(basename(fileURLToPath(message.url)), 10) : Number.NaN;
			(byDocument[index] ?? other).push(message);
		}
		return { byDocument, other };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
